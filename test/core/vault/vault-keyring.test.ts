import { beforeAll, describe, expect, it } from 'vitest';
import { loadSodium } from '../../../src/core/crypto/sodium.js';
import { VkError } from '../../../src/shared/errors.js';
import { VaultKeyring } from '../../../src/core/vault/vault-keyring.js';
import { randomMaster } from './temp-store.js';

beforeAll(async () => {
  await loadSodium();
});

const zero = (b: Uint8Array): boolean => b.every((x) => x === 0);

describe('VaultKeyring', () => {
  it('wipes the vault keys it unwrapped when locked', () => {
    const ring = new VaultKeyring();
    ring.unlock(randomMaster());
    const { key, wrapped } = ring.createVaultKey('v1');
    const original = new Uint8Array(key);
    ring.forget('v1');
    expect(zero(key)).toBe(true);
    const unwrapped = ring.vaultKey('v1', wrapped);
    expect(unwrapped).toEqual(original);
    ring.lock();
    expect(zero(unwrapped)).toBe(true);
    expect(ring.isUnlocked()).toBe(false);
    expect(() => ring.vaultKey('v1', wrapped)).toThrow(VkError);
  });

  it('binds a wrapped key to its vault id and master key', () => {
    const ring = new VaultKeyring();
    ring.unlock(randomMaster());
    const { wrapped } = ring.createVaultKey('v1');
    const code = (fn: () => unknown): string | undefined => {
      try {
        fn();
      } catch (e) {
        return (e as VkError).code;
      }
      return undefined;
    };
    expect(code(() => ring.vaultKey('v2', wrapped))).toBe('integrity_error');
    ring.unlock(randomMaster());
    expect(code(() => ring.vaultKey('v1', wrapped))).toBe('integrity_error');
  });
});
