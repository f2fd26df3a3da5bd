import { beforeAll, describe, expect, it } from 'vitest';
import { loadSodium } from '../../../src/core/crypto/sodium.js';
import { hashAdminPassphrase, verifyAdminPassphrase } from '../../../src/core/keys/admin-passphrase.js';

let hash: string;
beforeAll(async () => {
  await loadSodium();
  hash = hashAdminPassphrase('open sesame 42');
});

describe('admin passphrase (attacks)', () => {
  it('refuses near misses', () => {
    for (const guess of ['open sesame 43', 'Open sesame 42', 'open sesame 42 ', '', 'open sesame 4']) {
      expect(verifyAdminPassphrase(hash, guess)).toBe(false);
    }
  });

  it('a tampered hash verifies nothing', () => {
    const last = hash.at(-1) === 'A' ? 'B' : 'A';
    expect(verifyAdminPassphrase(hash.slice(0, -1) + last, 'open sesame 42')).toBe(false);
  });

  it('malformed or foreign verifiers are false, never a throw', () => {
    const argon2i = hash.replace('$argon2id$', '$argon2i$');
    for (const bad of ['', 'garbage', '$argon2id$', '$argon2id$v=19$m=65536,t=2,p=1$$', argon2i, hash.replace('m=65536', 'm=x')]) {
      expect(verifyAdminPassphrase(bad, 'open sesame 42')).toBe(false);
    }
    expect(verifyAdminPassphrase(undefined as unknown as string, 'x')).toBe(false);
    expect(verifyAdminPassphrase(hash, null as unknown as string)).toBe(false);
  });
});
