/** Strict base64 (RFC 4648 §4, padded): Node's own decoder skips bad characters silently, we refuse them. */
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

export function toBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

/** The decoded bytes, or undefined when `text` is not canonical padded base64. */
export function fromBase64(text: string): Uint8Array | undefined {
  if (!BASE64.test(text)) return undefined;
  const buf = Buffer.from(text, 'base64');
  // Copy out of Buffer's shared pool, then clear the pooled copy: the caller can wipe what it owns.
  const out = new Uint8Array(buf);
  buf.fill(0);
  return out;
}
