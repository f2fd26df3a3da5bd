/**
 * The keys in memory while unlocked: a private copy of the master key and the vault keys it has
 * unwrapped. Locking wipes them all, so "locked" means no key material is left to use.
 */
import { VkError } from '../../shared/errors.js';
import { associatedData, open, seal } from '../crypto/aead.js';
import { randomFillSync } from 'node:crypto';
import { asMasterKey, asVaultKey, KEY_BYTES, wipe, type MasterKey, type Sealed, type VaultKey } from '../crypto/types.js';

export class VaultKeyring {
  #master: MasterKey | undefined;
  readonly #vaultKeys = new Map<string, VaultKey>();

  /** Keeps a copy, so the caller may wipe its own bytes as soon as this returns. */
  unlock(master: MasterKey): void {
    const copy = asMasterKey(Uint8Array.from(master));
    this.lock();
    this.#master = copy;
  }

  lock(): void {
    wipe(this.#master);
    this.#master = undefined;
    for (const key of this.#vaultKeys.values()) wipe(key);
    this.#vaultKeys.clear();
  }

  isUnlocked(): boolean {
    return this.#master !== undefined;
  }

  /** Throws `vault_locked` when there is no master key. */
  requireUnlocked(): MasterKey {
    if (this.#master === undefined) throw new VkError('vault_locked');
    return this.#master;
  }

  /** A new random vault key, cached, and its form wrapped by the master key for storage. */
  createVaultKey(vaultId: string): { readonly key: VaultKey; readonly wrapped: Sealed } {
    const master = this.requireUnlocked();
    const key = asVaultKey(randomFillSync(new Uint8Array(KEY_BYTES)));
    const wrapped = seal(master, key, associatedData('vault-key', vaultId));
    this.#vaultKeys.set(vaultId, key);
    return { key, wrapped };
  }

  /** The vault's key, unwrapped on first use; a wrong master key or tampering → `integrity_error`. */
  vaultKey(vaultId: string, wrapped: Uint8Array): VaultKey {
    const master = this.requireUnlocked();
    const cached = this.#vaultKeys.get(vaultId);
    if (cached !== undefined) return cached;
    const key = asVaultKey(open(master, wrapped, associatedData('vault-key', vaultId)));
    this.#vaultKeys.set(vaultId, key);
    return key;
  }

  /** Drops a deleted vault's key. */
  forget(vaultId: string): void {
    wipe(this.#vaultKeys.get(vaultId));
    this.#vaultKeys.delete(vaultId);
  }
}
