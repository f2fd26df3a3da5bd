import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { base32Decode, base32Encode } from '../../../src/core/vault/base32.js';
import { looksLikeId, newId } from '../../../src/core/vault/ids.js';

describe('newId', () => {
  it('is 26 lowercase base32 characters and does not repeat', () => {
    const ids = Array.from({ length: 1000 }, newId);
    for (const id of ids) expect(looksLikeId(id)).toBe(true);
    expect(new Set(ids).size).toBe(1000);
  });
});

describe('base32', () => {
  it('matches RFC 4648 test vectors (lowercase, unpadded)', () => {
    const vectors = ['', 'f', 'fo', 'foo', 'foob', 'fooba', 'foobar'];
    const expected = ['', 'my', 'mzxq', 'mzxw6', 'mzxw6yq', 'mzxw6ytb', 'mzxw6ytboi'];
    expect(vectors.map((v) => base32Encode(new TextEncoder().encode(v)))).toEqual(expected);
  });

  it('round-trips random bytes and rejects characters outside the alphabet', () => {
    for (let n = 0; n < 40; n++) {
      const bytes = new Uint8Array(randomBytes(n));
      expect(base32Decode(base32Encode(bytes).toUpperCase())).toEqual(bytes);
    }
    expect(base32Decode('abc1')).toBeUndefined();
    expect(base32Decode('ab=c')).toBeUndefined();
  });
});
