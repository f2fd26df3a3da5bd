/**
 * Deterministic JSON for hashing audit rows: the same value always gives the same string, so a
 * chain hash can be recomputed by anyone from an export. Object keys are sorted by UTF-16 code
 * units (JavaScript's default sort), at every depth; no whitespace; strings and numbers are
 * written exactly as JSON.stringify writes them. For the values audit rows hold (strings, finite
 * numbers, booleans, null, arrays, plain objects) this is the same output as RFC 8785 (JCS).
 *
 * Refused, with a TypeError that never quotes the value: non-finite numbers, bigint, functions,
 * symbols, undefined at the top or inside an array, non-plain objects (Date, Map, Uint8Array...),
 * and cycles. An undefined object property is left out, as JSON.stringify does.
 */
export function canonicalJson(value: unknown): string {
  return write(value, new Set<object>());
}

function write(value: unknown, ancestors: Set<object>): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError('canonicalJson: numbers must be finite');
      return JSON.stringify(value);
    case 'object':
      return writeContainer(value, ancestors);
    default:
      throw new TypeError(`canonicalJson: a ${typeof value} cannot be encoded`);
  }
}

function writeContainer(value: object, ancestors: Set<object>): string {
  if (ancestors.has(value)) throw new TypeError('canonicalJson: the value contains a cycle');
  ancestors.add(value);
  try {
    return Array.isArray(value) ? writeArray(value, ancestors) : writeObject(value, ancestors);
  } finally {
    ancestors.delete(value);
  }
}

function writeArray(items: readonly unknown[], ancestors: Set<object>): string {
  const parts: string[] = [];
  for (let i = 0; i < items.length; i++) {
    const item: unknown = items[i];
    if (item === undefined) throw new TypeError('canonicalJson: arrays cannot hold undefined');
    parts.push(write(item, ancestors));
  }
  return `[${parts.join(',')}]`;
}

function writeObject(value: object, ancestors: Set<object>): string {
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) {
    throw new TypeError('canonicalJson: only plain objects can be encoded');
  }
  const record = value as Readonly<Record<string, unknown>>;
  const parts: string[] = [];
  for (const key of Object.keys(record).sort()) {
    const item = record[key];
    if (item === undefined) continue;
    parts.push(`${JSON.stringify(key)}:${write(item, ancestors)}`);
  }
  return `{${parts.join(',')}}`;
}
