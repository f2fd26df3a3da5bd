/**
 * `{{vk://vault/entry/field}}` placeholders (spaces inside the braces allowed), as `/v1/fetch`
 * and `valetkey inject` use them. Finding and filling are separate so the engine can check every
 * reference (scope, hosts, approvals) before any value is read.
 */
const PLACEHOLDER = /\{\{\s*(vk:\/\/[^\s{}]+)\s*\}\}/g;

/** The references named in `text`, in order of first appearance, without repeats. */
export function findPlaceholders(text: string): string[] {
  return [...new Set([...text.matchAll(PLACEHOLDER)].map((m) => m[1] ?? ''))];
}

/** How many placeholders `text` holds, repeats included (each is filled in). */
export function countPlaceholders(text: string): number {
  return [...text.matchAll(PLACEHOLDER)].length;
}

/** Index of the first placeholder in `text`, or -1. */
export function firstPlaceholderAt(text: string): number {
  const m = new RegExp(PLACEHOLDER.source).exec(text);
  return m === null ? -1 : m.index;
}

/**
 * Replace each placeholder by `encode(value)`. Every reference must be in `values`: the caller
 * resolved exactly the set `findPlaceholders` returned.
 */
export function fillPlaceholders(text: string, values: ReadonlyMap<string, string>, encode: (value: string) => string = (v) => v): string {
  return text.replace(PLACEHOLDER, (_whole, ref: string) => {
    const value = values.get(ref);
    if (value === undefined) throw new Error('fillPlaceholders: a reference was not resolved'); // a bug, not input
    return encode(value);
  });
}
