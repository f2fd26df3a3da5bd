/**
 * XChaCha20-Poly1305 sealing (docs/security.md, storage crypto): a fresh random 24-byte nonce per
 * seal, stored in front of the ciphertext; associated data binds the ciphertext to where it
 * belongs, so a value copied onto another entry, vault or version fails to open.
 */
import { randomFillSync } from 'node:crypto';
import { VkError } from '../../shared/errors.js';
import { xchachaDecrypt, xchachaEncrypt } from './xchacha20poly1305.js';
import { asSealed, type Sealed } from './types.js';

const NONCE_BYTES = 24;
const encoder = new TextEncoder();

/** Associated data from its parts, length-prefixed so ("ab","c") and ("a","bc") differ. */
export function associatedData(...parts: readonly (string | number)[]): Uint8Array {
  const encoded = parts.map((p) => encoder.encode(String(p)));
  const total = encoded.reduce((n, b) => n + 4 + b.length, 0);
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  let at = 0;
  for (const b of encoded) {
    view.setUint32(at, b.length);
    out.set(b, at + 4);
    at += 4 + b.length;
  }
  return out;
}

export function seal(key: Uint8Array, plaintext: Uint8Array, ad: Uint8Array): Sealed {
  // Node's CSPRNG, not libsodium's: the same OS source, without a WASM round trip per nonce.
  const nonce = randomFillSync(new Uint8Array(NONCE_BYTES));
  const ct = xchachaEncrypt(plaintext, ad, nonce, key);
  const out = new Uint8Array(NONCE_BYTES + ct.length);
  out.set(nonce, 0);
  out.set(ct, NONCE_BYTES);
  return asSealed(out);
}

/** Opens a sealed value; any tampering, wrong key or wrong associated data → `integrity_error`. */
export function open(key: Uint8Array, sealed: Uint8Array, ad: Uint8Array): Uint8Array {
  if (sealed.length < NONCE_BYTES + 16) throw new VkError('integrity_error');
  try {
    return xchachaDecrypt(sealed.subarray(NONCE_BYTES), ad, sealed.subarray(0, NONCE_BYTES), key);
  } catch {
    throw new VkError('integrity_error');
  }
}

export function sealJson(key: Uint8Array, value: unknown, ad: Uint8Array): Sealed {
  const bytes = encoder.encode(JSON.stringify(value));
  try {
    return seal(key, bytes, ad);
  } finally {
    bytes.fill(0);
  }
}

export function openJson<T>(key: Uint8Array, sealed: Uint8Array, ad: Uint8Array): T {
  const bytes = open(key, sealed, ad);
  try {
    return JSON.parse(new TextDecoder().decode(bytes)) as T;
  } finally {
    bytes.fill(0);
  }
}
