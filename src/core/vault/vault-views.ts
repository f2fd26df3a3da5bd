/** What the store hands out, built from rows and opened values. Summaries never carry values. */
import type { Entry, EntrySummary, VaultInfo } from '../../shared/model.js';
import type { EntryBody } from './entry-codec.js';
import { fieldNames } from './entry-field.js';
import type { EntryRow, VaultRow } from './vault-statements.js';
import type { VaultMeta } from './vault-validation.js';

const iso = (ms: number): string => new Date(ms).toISOString();

export function toVaultInfo(row: VaultRow, meta: VaultMeta): VaultInfo {
  return {
    id: row.id,
    name: meta.name,
    icon: meta.icon,
    colour: meta.colour,
    approval: meta.approval,
    entryCount: row.entry_count,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  };
}

export function toEntrySummary(row: EntryRow, title: string, body: EntryBody): EntrySummary {
  return {
    id: row.id,
    vaultId: row.vault_id,
    title,
    kind: body.kind,
    version: row.version,
    fieldNames: fieldNames(body.fields),
    hasTotp: body.fields.totp !== undefined,
    allowedHosts: body.allowedHosts,
    ...(body.injection === undefined ? {} : { injection: body.injection }),
    ...(body.fields.sshPublicKey === undefined ? {} : { sshPublicKey: body.fields.sshPublicKey }),
    ...(body.injectionByHost === undefined ? {} : { injectionByHost: body.injectionByHost }),
    ...(body.canary ? { canary: body.canary } : {}),
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  };
}

export function toEntry(row: EntryRow, title: string, body: EntryBody): Entry {
  return { ...toEntrySummary(row, title, body), fields: body.fields };
}

/** Sort key for names and titles: case-insensitive, then by id so equal names keep a stable order. */
export function byName<T extends { readonly id: string }>(name: (t: T) => string): (a: T, b: T) => number {
  return (a, b) => name(a).localeCompare(name(b), 'en', { sensitivity: 'base' }) || a.id.localeCompare(b.id);
}

/** What a stale entry lists as: its names and kind, with no host to reach and nothing to inject (its canary stays). */
export function withoutGrants(body: EntryBody): EntryBody {
  const { injection: _injection, injectionByHost: _byHost, ...rest } = body;
  return { ...rest, allowedHosts: [] };
}
