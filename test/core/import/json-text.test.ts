import { describe, expect, it } from 'vitest';
import { firstJsonError, parseJson } from '../../../src/core/import/json-text.js';
import { findXmlProblem, xmlProblemLine } from '../../../src/core/import/xml-check.js';
import { isVkError } from '../../../src/shared/errors.js';

function messageOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (isVkError(e)) return e.message;
    throw e;
  }
  throw new Error('expected an error');
}

describe('parseJson', () => {
  it('parses valid JSON', () => {
    expect(parseJson('{"a":[1,true,null,"x"]}', 'f.json')).toEqual({ a: [1, true, null, 'x'] });
  });

  it('names the line of a syntax error without quoting the file', () => {
    const text = '{\n  "items": [\n    {"password": "hunter2-secret" "name": "x"}\n  ]\n}';
    const message = messageOf(() => parseJson(text, 'bad.json'));
    expect(message).toContain('bad.json, line 3: the text is not valid JSON here');
    expect(message).not.toContain('hunter2');
  });

  it('says a cut-off file ends early, at its last line', () => {
    const text = '{\n  "items": [\n    {"password": "hunter2-secret", "na';
    const message = messageOf(() => parseJson(text, 'cut.json'));
    expect(message).toContain('cut.json, line 3: the JSON ends early (is the file truncated?)');
    expect(message).not.toContain('hunter2');
  });

  it('finds the first bad character for each kind of mistake', () => {
    expect(firstJsonError('{"a":1}')).toBe(-1);
    expect(firstJsonError('{"a":1,}')).toBe(7);
    expect(firstJsonError('[1 2]')).toBe(3);
    expect(firstJsonError('{"a":tru}')).toBe(5);
    expect(firstJsonError('"\\x"')).toBe(1);
    expect(firstJsonError('{"a":1} x')).toBe(8);
    expect(firstJsonError('[')).toBe(1);
  });
});

describe('xml well-formedness check', () => {
  it('accepts comments, CDATA, declarations, self-closing tags and quoted ">"', () => {
    expect(findXmlProblem('<?xml version="1.0"?>\n<!-- c -->\n<a x="1>2"><b/><![CDATA[<not a tag>]]></a>')).toBeUndefined();
  });

  it('names the line where a truncated file stops', () => {
    expect(xmlProblemLine('<a>\n<b>\n<c>text</c>\n')).toEqual({ line: 4, what: 'the XML ends before <b> is closed (is the file truncated?)' });
    expect(xmlProblemLine('<a>\n<b x="1')?.what).toBe('the XML ends inside a tag (is the file truncated?)');
  });

  it('names the line of a mismatched end tag', () => {
    expect(xmlProblemLine('<a>\n<b>\n</a>\n</b>')).toEqual({ line: 3, what: '</a> does not close the element opened before it' });
  });
});
