/**
 * RFC 4648 base32, the alphabet TOTP seeds are written in and the one our ids use (lowercase,
 * unpadded: no characters that need escaping in a URL or a vk:// reference).
 */
const ALPHABET = 'abcdefghijklmnopqrstuvwxyz234567';

/** Lowercase, unpadded base32 of `bytes`. */
export function base32Encode(bytes: Uint8Array): string {
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = ((buffer << 8) | byte) & 0xffff;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(buffer >> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += ALPHABET[(buffer << (5 - bits)) & 31];
  return out;
}

/**
 * Bytes of a base32 string, case-insensitive, without padding or whitespace (strip those first).
 * Returns undefined for any character outside the alphabet, so callers choose their own error.
 */
export function base32Decode(text: string): Uint8Array | undefined {
  const out = new Uint8Array(Math.floor((text.length * 5) / 8));
  let buffer = 0;
  let bits = 0;
  let at = 0;
  for (const ch of text.toLowerCase()) {
    const value = ALPHABET.indexOf(ch);
    if (value < 0) return undefined;
    buffer = ((buffer << 5) | value) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      out[at++] = (buffer >> (bits - 8)) & 0xff;
      bits -= 8;
    }
  }
  return out;
}
