/**
 * Argon2id on a worker thread (src/core/crypto/argon2id.ts) gives exactly what libsodium gives in
 * this process, and its failures come back as failures.
 */
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { ARGON2ID_LIMITS, argon2idDerive, argon2idHashString, argon2idVerifyString } from '../../../src/core/crypto/argon2id.js';
import { loadSodium, sodium } from '../../../src/core/crypto/sodium.js';

// The real module, not the unit files' remembered answers (test/helpers/argon2id-memo.ts).
vi.unmock(import('../../../src/core/crypto/argon2id.js'));

beforeAll(async () => {
  await loadSodium();
});

describe('argon2id on a worker thread', () => {
  it('derives the same key as libsodium in process', () => {
    const s = sodium();
    const password = new TextEncoder().encode('correct horse battery staple');
    const salt = new Uint8Array(16).map((_, i) => i * 7);
    const limits = { opslimit: s.crypto_pwhash_OPSLIMIT_INTERACTIVE, memlimit: s.crypto_pwhash_MEMLIMIT_INTERACTIVE };
    const expected = s.crypto_pwhash(32, password, salt, limits.opslimit, limits.memlimit, s.crypto_pwhash_ALG_ARGON2ID13);
    const key = argon2idDerive({ password: password.slice(), salt, bytes: 32, ...limits });
    expect(Buffer.from(key).toString('hex')).toBe(Buffer.from(expected).toString('hex'));
    const other = argon2idDerive({ password: new TextEncoder().encode('correct horse battery stapler'), salt, bytes: 32, ...limits });
    expect(Buffer.from(other).equals(Buffer.from(key))).toBe(false);
  });

  it('makes verifiers libsodium accepts, and verifies them', () => {
    const s = sodium();
    const hash = argon2idHashString('a long admin passphrase', s.crypto_pwhash_OPSLIMIT_INTERACTIVE, s.crypto_pwhash_MEMLIMIT_INTERACTIVE);
    expect(hash.startsWith('$argon2id$')).toBe(true);
    expect(s.crypto_pwhash_str_verify(hash, 'a long admin passphrase')).toBe(true);
    expect(argon2idVerifyString(hash, 'a long admin passphrase')).toBe(true);
    expect(argon2idVerifyString(hash, 'a long admin passphrasE')).toBe(false);
    // Each verifier has a salt of its own (a remembered answer would repeat the first one).
    expect(argon2idHashString('a long admin passphrase', s.crypto_pwhash_OPSLIMIT_INTERACTIVE, s.crypto_pwhash_MEMLIMIT_INTERACTIVE)).not.toBe(hash);
  });

  it('reports a failure in the worker as a thrown error', () => {
    expect(() => argon2idDerive({ password: new Uint8Array(8), salt: new Uint8Array(3), bytes: 32, opslimit: 2, memlimit: 67108864 })).toThrow('Argon2id failed');
  });
});

describe('Argon2id limits known without libsodium', () => {
  it('are libsodium’s own', () => {
    const s = sodium();
    expect(ARGON2ID_LIMITS).toEqual({
      OPSLIMIT_INTERACTIVE: s.crypto_pwhash_OPSLIMIT_INTERACTIVE,
      MEMLIMIT_INTERACTIVE: s.crypto_pwhash_MEMLIMIT_INTERACTIVE,
      OPSLIMIT_MODERATE: s.crypto_pwhash_OPSLIMIT_MODERATE,
      MEMLIMIT_MODERATE: s.crypto_pwhash_MEMLIMIT_MODERATE,
      OPSLIMIT_SENSITIVE: s.crypto_pwhash_OPSLIMIT_SENSITIVE,
      MEMLIMIT_SENSITIVE: s.crypto_pwhash_MEMLIMIT_SENSITIVE,
    });
  });
});
