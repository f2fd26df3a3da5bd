/**
 * Reading a vault's entries with their values (for backups, exports and duplicate checks), and
 * the key that decides whether two entries are the same: title, username and first URL, compared
 * the way people would (case, spacing and a trailing slash do not count).
 */
import type { Entry, EntryFields } from '../../shared/model.js';
import { nameKey } from '../vault/input-checks.js';
import type { VaultStore } from '../vault/vault-store.js';

/** Every entry of the vault, values included, in the store's order (by title). */
export function readEntries(vaults: VaultStore, vaultId: string): Entry[] {
  return vaults.readEntries(vaultId);
}

function urlKey(url: string | undefined): string {
  return (url ?? '').trim().toLowerCase().replace(/\/+$/, '');
}

export function duplicateKey(entry: { readonly title: string; readonly fields: EntryFields }): string {
  return [nameKey(entry.title), (entry.fields.username ?? '').trim().toLowerCase(), urlKey(entry.fields.urls?.[0])].join('\u0000');
}

export function existingKeys(vaults: VaultStore, vaultId: string): Set<string> {
  return new Set(readEntries(vaults, vaultId).map(duplicateKey));
}
