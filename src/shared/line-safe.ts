/**
 * Export lines hold text that agents wrote (reasons, names), and rows written before reasons had
 * to be plain text may hold anything. Whatever a row holds, it must not start a new record or
 * flip how a line is shown: control characters, Unicode line separators and bidi controls are
 * written as `\uXXXX` escapes, in JSON (where the escape is the same value) and in text formats.
 */

// C0, DEL, C1, LRM/RLM/ALM, bidi embeddings/overrides/isolates, and U+2028/2029 (line breaks to many readers).
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/gu;

function escape(c: string): string {
  return `\\u${(c.codePointAt(0) ?? 0).toString(16).padStart(4, '0')}`;
}

/** Text with every unsafe character as a visible `\uXXXX` escape. */
export function lineSafeText(text: string): string {
  return text.replace(UNSAFE, escape);
}

/** JSON on one line that parses to the same value: JSON.stringify leaves DEL, C1, U+2028/2029 and bidi controls raw. */
export function lineSafeJson(value: unknown): string {
  return JSON.stringify(value).replace(UNSAFE, escape);
}
