/**
 * Finds the line where an XML file stops being well-formed, by balancing its tags. The XML parser
 * used for KeePass files reports no line, and its messages may quote the file; this check only
 * ever reports a line number and the element's name (structure, never values).
 */
import { lineOf } from './json-text.js';

export interface XmlProblem {
  readonly offset: number;
  readonly what: string;
}

// Element names are structure (KeePassFile, Entry, Value); capped anyway before they reach a message.
const NAME = /^[A-Za-z_:][\w.:-]{0,39}/;

/** Skips a construct that ends with `end`; returns the offset after it, or -1 if it never ends. */
function skipTo(text: string, from: number, end: string): number {
  const at = text.indexOf(end, from);
  return at < 0 ? -1 : at + end.length;
}

/** End of a start or end tag, honouring quoted attribute values (which may contain '>'). */
function tagEnd(text: string, from: number): number {
  let quote: string | undefined;
  for (let i = from; i < text.length; i++) {
    const c = text[i];
    if (quote !== undefined) {
      if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '>') return i + 1;
  }
  return -1;
}

function special(text: string, at: number): string | undefined {
  if (text.startsWith('<!--', at)) return '-->';
  if (text.startsWith('<![CDATA[', at)) return ']]>';
  if (text.startsWith('<?', at)) return '?>';
  if (text.startsWith('<!', at)) return '>';
  return undefined;
}

export function findXmlProblem(text: string): XmlProblem | undefined {
  const open: { name: string; offset: number }[] = [];
  for (let at = text.indexOf('<'); at >= 0; ) {
    const endMark = special(text, at);
    const next = endMark !== undefined ? skipTo(text, at + 2, endMark) : tagEnd(text, at + 1);
    if (next < 0) return { offset: text.length, what: 'the XML ends inside a tag (is the file truncated?)' };
    const closing = text[at + 1] === '/';
    const name = endMark === undefined ? NAME.exec(text.slice(at + (closing ? 2 : 1), at + 200))?.[0] : '';
    if (name === undefined) return { offset: at, what: 'this is not a well-formed XML tag' };
    if (endMark === undefined && closing) {
      const top = open.pop();
      if (top?.name !== name) return { offset: at, what: `</${name}> does not close the element opened before it` };
    } else if (endMark === undefined && text[next - 2] !== '/') open.push({ name, offset: at });
    at = text.indexOf('<', next);
  }
  const last = open.at(-1);
  return last ? { offset: text.length, what: `the XML ends before <${last.name}> is closed (is the file truncated?)` } : undefined;
}

export function xmlProblemLine(text: string): { readonly line: number; readonly what: string } | undefined {
  const problem = findXmlProblem(text);
  return problem && { line: lineOf(text, problem.offset), what: problem.what };
}
