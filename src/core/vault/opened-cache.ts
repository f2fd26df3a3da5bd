/**
 * Opened vault metadata and entry titles, served only while the row's version AND sealed bytes are
 * exactly those that were opened: any edit of the database file misses and is checked by the AEAD again.
 */

export interface OpenedCopy<T> {
  readonly version: number;
  readonly sealed: Uint8Array;
  readonly value: T;
}

export function cachedOpen<T>(cache: Map<string, OpenedCopy<T>>, id: string, version: number, sealed: Uint8Array, open: () => T): T {
  const hit = cache.get(id);
  if (hit && hit.version === version && Buffer.compare(hit.sealed, sealed) === 0) return hit.value;
  const value = open();
  cache.set(id, { version, sealed: Uint8Array.from(sealed), value });
  return value;
}
