import { beforeAll, describe, expect, it, vi } from 'vitest';
import { loadSodium } from '../../../src/core/crypto/sodium.js';
import { checkPassphraseStrength, hashAdminPassphrase, verifyAdminPassphrase } from '../../../src/core/keys/admin-passphrase.js';

// Salting is the subject here: the real Argon2id, not the unit files' remembered answers.
vi.unmock(import('../../../src/core/crypto/argon2id.js'));

beforeAll(async () => { await loadSodium(); });

describe('admin passphrase', () => {
  it('hashes to an Argon2id verifier at INTERACTIVE limits that accepts the passphrase', () => {
    const hash = hashAdminPassphrase('open sesame 42');
    expect(hash).toMatch(/^\$argon2id\$v=19\$m=65536,t=2,p=1\$/);
    expect(hash).not.toContain('open sesame 42');
    expect(verifyAdminPassphrase(hash, 'open sesame 42')).toBe(true);
  });

  it('salts every hash', () => {
    expect(hashAdminPassphrase('open sesame 42')).not.toBe(hashAdminPassphrase('open sesame 42'));
  });

  it('accepts the same words typed in another Unicode normalisation', () => {
    const composed = 'caf\u00e9 au lait!';
    const decomposed = 'cafe\u0301 au lait!';
    expect(verifyAdminPassphrase(hashAdminPassphrase(composed), decomposed)).toBe(true);
  });

  it('checkPassphraseStrength: 10 characters pass, 9 do not, emoji count once', () => {
    expect(() => checkPassphraseStrength('0123456789')).not.toThrow();
    expect(() => checkPassphraseStrength('012345678')).toThrow(expect.objectContaining({ code: 'passphrase_too_short' }));
    expect(() => checkPassphraseStrength('🔑🔑🔑🔑🔑')).toThrow(expect.objectContaining({ code: 'passphrase_too_short' }));
    expect(() => hashAdminPassphrase('short')).toThrow(expect.objectContaining({ code: 'passphrase_too_short' }));
  });
});
