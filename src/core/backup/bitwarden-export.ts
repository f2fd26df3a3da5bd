/**
 * Unencrypted Bitwarden JSON, for leaving Valetkey: the file Bitwarden (and most managers) import.
 * Each vault becomes a folder. Entries with login data are logins (type 1), the rest secure notes
 * (type 2); an API key becomes a hidden field. A `valetkey` object on each item (ignored by
 * Bitwarden) records kind, API-key field and allowed hosts, so importing the file back into
 * Valetkey gives the same entries.
 */
import { randomUUID } from 'node:crypto';
import type { EntryInput } from '../../shared/model.js';
import { BITWARDEN_FIELD, BITWARDEN_TYPE, VALETKEY_EXTENSION } from '../import/bitwarden-json.js';
import { nameKey } from '../vault/input-checks.js';
import type { BackupVault } from './backup-contents.js';

const API_KEY_FIELD = 'API key';

function freeName(taken: readonly string[], wanted: string): string {
  const keys = new Set(taken.map(nameKey));
  if (!keys.has(nameKey(wanted))) return wanted;
  for (let n = 2; ; n++) if (!keys.has(nameKey(`${wanted} (${n})`))) return `${wanted} (${n})`;
}

function itemOf(entry: EntryInput, folderId: string): Record<string, unknown> {
  const f = entry.fields;
  const custom = f.custom ?? [];
  const fields = custom.map((c) => ({ name: c.name, value: c.value, type: c.hidden ? BITWARDEN_FIELD.hidden : BITWARDEN_FIELD.text, linkedId: null }));
  const apiKeyField = f.apiKey !== undefined ? freeName(custom.map((c) => c.name), API_KEY_FIELD) : undefined;
  if (apiKeyField !== undefined) fields.push({ name: apiKeyField, value: f.apiKey ?? '', type: BITWARDEN_FIELD.hidden, linkedId: null });
  const isLogin = f.username !== undefined || f.password !== undefined || (f.urls?.length ?? 0) > 0 || f.totp !== undefined;
  const hosts = entry.allowedHosts ?? [];
  return {
    id: randomUUID(),
    organizationId: null,
    folderId,
    type: isLogin ? BITWARDEN_TYPE.login : BITWARDEN_TYPE.secureNote,
    reprompt: 0,
    name: entry.title,
    notes: f.notes ?? null,
    favorite: false,
    fields,
    ...(isLogin
      ? { login: { fido2Credentials: [], uris: (f.urls ?? []).map((uri) => ({ match: null, uri })), username: f.username ?? null, password: f.password ?? null, totp: f.totp ?? null } }
      : { secureNote: { type: 0 } }),
    collectionIds: null,
    [VALETKEY_EXTENSION]: { kind: entry.kind, ...(apiKeyField ? { apiKeyField } : {}), ...(hosts.length ? { allowedHosts: hosts } : {}) },
  };
}

export function toBitwardenJson(vaults: readonly BackupVault[]): { readonly json: string; readonly items: number } {
  const folders = vaults.map((v) => ({ id: randomUUID(), name: v.name }));
  const items = vaults.flatMap((v, i) => v.entries.map((e) => itemOf(e, folders[i]!.id)));
  return { json: `${JSON.stringify({ encrypted: false, folders, items }, null, 2)}\n`, items: items.length };
}
