/**
 * JSON.parse with an error that names the line. The engine's own parse message can quote a piece
 * of the file (a password, perhaps), so it is never passed on: a small validator finds where the
 * text stops being JSON instead, and only that position is reported.
 */
import { VkError } from '../../shared/errors.js';
import { fileError } from './import-item.js';

const MAX_DEPTH = 512;
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

/** Walks JSON text without building values; throws the offset where it stops being JSON. */
class JsonScanner {
  i = 0;

  constructor(private readonly text: string) {}

  fail(): never {
    throw this.i;
  }

  ws(): void {
    while (this.i < this.text.length && ' \t\n\r'.includes(this.text[this.i]!)) this.i++;
  }

  value(depth: number): void {
    if (depth > MAX_DEPTH) this.fail();
    this.ws();
    const c = this.text[this.i];
    if (c === '{') this.list('}', () => this.member(depth));
    else if (c === '[') this.list(']', () => this.value(depth + 1));
    else if (c === '"') this.string();
    else if (c === 't' || c === 'f' || c === 'n') this.literal();
    else this.number();
  }

  private member(depth: number): void {
    if (this.text[this.i] !== '"') this.fail();
    this.string();
    this.ws();
    if (this.text[this.i] !== ':') this.fail();
    this.i++;
    this.value(depth + 1);
  }

  private list(close: string, item: () => void): void {
    this.i++;
    this.ws();
    if (this.text[this.i] === close) return void this.i++;
    for (;;) {
      item();
      this.ws();
      if (this.text[this.i] === close) return void this.i++;
      if (this.text[this.i] !== ',') this.fail();
      this.i++;
      this.ws();
    }
  }

  private string(): void {
    this.i++;
    for (;;) {
      const c = this.text[this.i];
      if (c === undefined || c < ' ') this.fail();
      if (c === '"') return void this.i++;
      if (c !== '\\') this.i++;
      else if (this.text[this.i + 1] === 'u' && /^[0-9a-fA-F]{4}$/.test(this.text.slice(this.i + 2, this.i + 6))) this.i += 6;
      else if ('"\\/bfnrt'.includes(this.text[this.i + 1] ?? 'x')) this.i += 2;
      else this.fail();
    }
  }

  private literal(): void {
    const word = ['true', 'false', 'null'].find((w) => this.text.startsWith(w, this.i));
    if (word === undefined) this.fail();
    this.i += word.length;
  }

  private number(): void {
    NUMBER.lastIndex = this.i;
    const m = NUMBER.exec(this.text);
    if (!m) this.fail();
    this.i += m[0].length;
  }
}

/** The offset of the first character that is not valid JSON (text.length if it ends early), or -1. */
export function firstJsonError(text: string): number {
  const scanner = new JsonScanner(text);
  try {
    scanner.value(0);
    scanner.ws();
    return scanner.i < text.length ? scanner.i : -1;
  } catch (at) {
    if (typeof at !== 'number') throw at;
    return Math.min(at, text.length);
  }
}

export function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

/**
 * JSON.parse allocates in native code, where a worker's heap limit cannot stop it gracefully (V8
 * aborts the whole process instead), so the values it may build are bounded first. Every value
 * but the first follows a `,`, `:` or `[`; counting those (strings included) is an upper bound.
 */
export const MAX_JSON_VALUES = 5_000_000;

function tooManyValues(text: string): boolean {
  let count = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c === 0x2c || c === 0x3a || c === 0x5b) && ++count > MAX_JSON_VALUES) return true;
  }
  return false;
}

/** Parses JSON text; a syntax error names the file and the line, without quoting the file. */
export function parseJson(text: string, file: string): unknown {
  if (tooManyValues(text)) throw new VkError('import_invalid', `${file}: it holds more than ${MAX_JSON_VALUES.toLocaleString('en')} values, more than Valetkey will open; split the export`);
  try {
    return JSON.parse(text);
  } catch {
    // Located below, without the engine's message.
  }
  const at = Math.max(firstJsonError(text), 0);
  const truncated = at >= text.trimEnd().length;
  throw fileError(file, `line ${lineOf(text, at)}`, truncated ? 'the JSON ends early (is the file truncated?)' : 'the text is not valid JSON here');
}
