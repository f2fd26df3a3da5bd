/**
 * Sealing an entry: the title alone (listing needs only it), and the fields with the allowed hosts
 * as one JSON value. Both are bound to (vault, entry, version), so a ciphertext moved to another
 * entry or vault, or an old version restored under a newer version number, fails to open.
 */
import type { CanarySetting, EntryFields, EntryInjection, EntryKind } from '../../shared/model.js';
import { VkError } from '../../shared/errors.js';
import { associatedData, open, openJson, seal, sealJson } from '../crypto/aead.js';
import type { Sealed, VaultKey } from '../crypto/types.js';
import type { ValidEntry } from './entry-validation.js';

/** Where a sealed entry belongs; every part goes into the associated data. */
export interface EntryPlace {
  readonly vaultId: string;
  readonly entryId: string;
  readonly version: number;
}

/** The sealed body. `kind` is stored in plain too (for the schema's CHECK); sealing it makes a swap detectable. */
export interface EntryBody {
  readonly kind: EntryKind;
  readonly fields: EntryFields;
  readonly allowedHosts: readonly string[];
  readonly injection?: EntryInjection;
  readonly injectionByHost?: Readonly<Record<string, EntryInjection>>;
  /** Sealed with the values, so an agent that can write the database cannot quietly clear it. */
  readonly canary?: CanarySetting;
}

export interface SealedEntry {
  readonly sealedTitle: Sealed;
  readonly sealedFields: Sealed;
}

const titleAd = (p: EntryPlace): Uint8Array => associatedData('entry-title', p.vaultId, p.entryId, p.version);
const fieldsAd = (p: EntryPlace): Uint8Array => associatedData('entry-fields', p.vaultId, p.entryId, p.version);

export function sealEntry(key: VaultKey, place: EntryPlace, entry: ValidEntry): SealedEntry {
  const title = new TextEncoder().encode(entry.title);
  try {
    const body: EntryBody = {
      kind: entry.kind,
      fields: entry.fields,
      allowedHosts: entry.allowedHosts,
      ...(entry.injection === undefined ? {} : { injection: entry.injection }),
      ...(entry.injectionByHost === undefined ? {} : { injectionByHost: entry.injectionByHost }),
      ...(entry.canary ? { canary: entry.canary } : {}),
    };
    return { sealedTitle: seal(key, title, titleAd(place)), sealedFields: sealJson(key, body, fieldsAd(place)) };
  } finally {
    title.fill(0);
  }
}

export function openEntryTitle(key: VaultKey, place: EntryPlace, sealed: Uint8Array): string {
  const bytes = open(key, sealed, titleAd(place));
  try {
    return new TextDecoder().decode(bytes);
  } finally {
    bytes.fill(0);
  }
}

/** Opens the body and checks it against the plain `kind` column. */
export function openEntryBody(key: VaultKey, place: EntryPlace, kind: string, sealed: Uint8Array): EntryBody {
  const body = openJson<EntryBody>(key, sealed, fieldsAd(place));
  if (body.kind !== kind) throw new VkError('integrity_error');
  return body;
}
