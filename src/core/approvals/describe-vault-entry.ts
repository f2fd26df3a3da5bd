import type { VaultStore } from '../vault/vault-store.js';
import type { Describe } from './approval-rules.js';

/**
 * Names a prompt shows for a vault and entry id. Names are sealed, so while the engine is locked
 * (or the vault or entry is gone) they are null; the broker catches the store's errors.
 * Uses entry summaries, so no secret value is opened just to find a title.
 */
export function describeVaultEntry(vaults: VaultStore): Describe {
  return (vaultId, entryId) => {
    const vaultName = vaults.getVault(vaultId).name;
    if (entryId === null) return { vaultName, entryTitle: null };
    const entry = vaults.listEntries(vaultId).find((e) => e.id === entryId);
    return { vaultName, entryTitle: entry?.title ?? null };
  };
}
