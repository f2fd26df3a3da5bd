/**
 * XChaCha20-Poly1305 on node:crypto (src/core/crypto/xchacha20poly1305.ts) must be byte for byte
 * libsodium's, or values sealed before could not be opened (docs/security.md §11, storage crypto).
 */
import { randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { hchacha20, xchachaDecrypt, xchachaEncrypt } from '../../../src/core/crypto/xchacha20poly1305.js';
import { loadSodium, sodium } from '../../../src/core/crypto/sodium.js';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const bytes = (h: string) => new Uint8Array(Buffer.from(h.replace(/[\s:]/g, ''), 'hex'));

beforeAll(async () => {
  await loadSodium();
});

describe('XChaCha20-Poly1305 on node:crypto', () => {
  it('HChaCha20 gives the test vector of draft-irtf-cfrg-xchacha §2.2.1', () => {
    const key = bytes('000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f');
    const nonce = bytes('000000090000004a0000000031415927');
    expect(hex(hchacha20(key, nonce))).toBe('82413b4227b27bfed30e42508a877d73a0f9e4d58a74a853c12ec41326d3ecdc');
  });

  it('seals exactly as libsodium does and opens what libsodium sealed, at every length up to 300 bytes', () => {
    const s = sodium();
    for (let n = 0; n <= 300; n += 7) {
      const [key, nonce, plain, ad] = [randomBytes(32), randomBytes(24), randomBytes(n), randomBytes(n % 40)];
      const theirs = s.crypto_aead_xchacha20poly1305_ietf_encrypt(plain, ad, null, nonce, key);
      expect(hex(xchachaEncrypt(plain, ad, nonce, key))).toBe(hex(theirs));
      expect(hex(xchachaDecrypt(theirs, ad, nonce, key))).toBe(hex(plain));
    }
  });

  it('refuses a flipped bit, another nonce, key or associated data', () => {
    const [key, nonce, plain, ad] = [randomBytes(32), randomBytes(24), randomBytes(64), randomBytes(12)];
    const sealed = xchachaEncrypt(plain, ad, nonce, key);
    for (let i = 0; i < sealed.length; i += 5) {
      const bad = sealed.slice();
      bad[i]! ^= 1;
      expect(() => xchachaDecrypt(bad, ad, nonce, key)).toThrow();
    }
    const other = (b: Uint8Array) => b.map((x, i) => (i === 0 ? x ^ 0x80 : x));
    expect(() => xchachaDecrypt(sealed, ad, other(nonce), key)).toThrow();
    expect(() => xchachaDecrypt(sealed, ad, nonce, other(key))).toThrow();
    expect(() => xchachaDecrypt(sealed, other(ad), nonce, key)).toThrow();
    expect(() => xchachaDecrypt(sealed.subarray(0, 15), ad, nonce, key)).toThrow();
  });
});
