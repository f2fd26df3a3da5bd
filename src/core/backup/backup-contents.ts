/**
 * What a backup holds, inside the encrypted stream only: the chosen vaults' settings and every
 * entry with its values. Restoring validates it like any other input (entries again in the
 * vault store), because a backup is a file from outside.
 */
import { VkError } from '../../shared/errors.js';
import type { ApprovalSetting, EntryInput, VaultInfo } from '../../shared/model.js';
import { readEntries } from '../import/vault-contents.js';
import type { VaultStore } from '../vault/vault-store.js';

export const CONTENTS_FORMAT = 'valetkey-backup-contents';

export interface BackupVault {
  readonly name: string;
  readonly icon: string;
  readonly colour: string;
  readonly approval: ApprovalSetting;
  readonly entries: readonly EntryInput[];
}

export interface BackupContents {
  readonly format: typeof CONTENTS_FORMAT;
  readonly version: 1;
  readonly createdAt: string;
  readonly vaults: readonly BackupVault[];
}

/** The vaults named (ids or names, each once), with their entries' values. */
export function collectVaults(vaults: VaultStore, refs: readonly string[]): BackupVault[] {
  if (refs.length === 0) throw new VkError('invalid_request', 'name at least one vault');
  const chosen = new Map<string, VaultInfo>();
  for (const ref of refs) {
    const info = vaults.getVault(ref);
    chosen.set(info.id, info);
  }
  return [...chosen.values()].map((info) => ({
    name: info.name,
    icon: info.icon,
    colour: info.colour,
    approval: info.approval,
    entries: readEntries(vaults, info.id).map((e) => ({ title: e.title, kind: e.kind, fields: e.fields, allowedHosts: e.allowedHosts, ...(e.injection === undefined ? {} : { injection: e.injection }), ...(e.injectionByHost === undefined ? {} : { injectionByHost: e.injectionByHost }) })),
  }));
}

function damaged(file: string, what: string): VkError {
  return new VkError('invalid_backup', `${file}: ${what}`);
}

/** The decrypted contents' shape; entry values are checked when they are stored. */
export function parseContents(plaintext: Uint8Array, file: string): readonly BackupVault[] {
  let data: unknown;
  try {
    data = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(plaintext));
  } catch {
    throw damaged(file, 'the decrypted contents are not valid');
  }
  const root = data as Partial<BackupContents> | null;
  if (root?.format !== CONTENTS_FORMAT || root.version !== 1 || !Array.isArray(root.vaults)) throw damaged(file, 'the decrypted contents are not a Valetkey backup');
  root.vaults.forEach((v, i) => {
    if (typeof v !== 'object' || v === null || typeof v.name !== 'string' || !Array.isArray(v.entries)) throw damaged(file, `vault ${i + 1} in the backup is malformed`);
  });
  return root.vaults;
}
