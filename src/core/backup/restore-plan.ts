/**
 * Where a backup's vaults go. By default each becomes a new vault under its own name (refused if
 * the name is taken); `asNew` puts every entry into one new vault; `mergeInto` adds them to an
 * existing vault, skipping entries it already has unless told to keep them.
 */
import { VkError } from '../../shared/errors.js';
import type { EntryInput, RestoreRequest, VaultInput } from '../../shared/model.js';
import { nameKey } from '../vault/input-checks.js';
import type { VaultStore } from '../vault/vault-store.js';
import type { BackupVault } from './backup-contents.js';

export interface RestoreStep {
  /** Merge into this vault; otherwise create one with `settings`. */
  readonly existingId?: string;
  readonly settings: VaultInput;
  readonly entries: readonly EntryInput[];
}

function settingsOf(vault: BackupVault, name = vault.name): VaultInput {
  return { name, icon: vault.icon, colour: vault.colour, approval: vault.approval };
}

function assertFree(vaults: VaultStore, name: string, hint: string): void {
  if (vaults.listVaults().some((v) => nameKey(v.name) === nameKey(name))) throw new VkError('conflict', hint);
}

export function restorePlan(vaults: VaultStore, backup: readonly BackupVault[], request: RestoreRequest): readonly RestoreStep[] {
  const { asNew, mergeInto } = request;
  if (asNew !== undefined && mergeInto !== undefined) throw new VkError('invalid_request', 'give `asNew` or `mergeInto`, not both');
  const all = backup.flatMap((v) => v.entries);
  if (mergeInto !== undefined) {
    const target = vaults.getVault(mergeInto);
    return [{ existingId: target.id, settings: { name: target.name }, entries: all }];
  }
  if (asNew !== undefined) {
    assertFree(vaults, asNew, 'a vault with the new name already exists; pick another name, or merge into it');
    // One vault's own settings (approval included) come with it; several vaults' settings cannot be merged.
    const only = backup.length === 1 ? backup[0] : undefined;
    return [{ settings: only ? settingsOf(only, asNew) : { name: asNew }, entries: all }];
  }
  for (const vault of backup) {
    assertFree(vaults, vault.name, `a vault named “${vault.name.slice(0, 100)}” already exists; restore it under a new name (asNew) or merge it (mergeInto)`);
  }
  return backup.map((vault) => ({ settings: settingsOf(vault), entries: vault.entries }));
}
