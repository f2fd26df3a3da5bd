/**
 * The vault store: vaults and entries in SQLite, every name and value sealed (docs/design.md §2).
 * Each vault has its own random key, wrapped by the master key; nothing opens while locked.
 * Methods are synchronous: the engine runs in its own process, never on a UI thread.
 */
import { VkError } from '../../shared/errors.js';
import type { ApprovalSetting, Entry, EntryInput, EntrySummary, VaultInfo, VaultInput } from '../../shared/model.js';
import type { MasterKey, VaultKey } from '../crypto/types.js';
import type { Database } from '../store/database.js';
import { openEntryBody, openEntryTitle, sealEntry, type EntryPlace } from './entry-codec.js';
import { validateEntryInput } from './entry-validation.js';
import { looksLikeId, newId } from './ids.js';
import { nameKey } from './input-checks.js';
import { totpCode, type TotpCode } from './totp.js';
import { openVaultMeta, sealVaultMeta } from './vault-codec.js';
import { VaultKeyring } from './vault-keyring.js';
import { blob, prepareStatements, type EntryRow, type VaultRow, type VaultStatements } from './vault-statements.js';
import { validateVaultInput, type VaultMeta } from './vault-validation.js';
import { byName, toEntry, toEntrySummary, toVaultInfo, withoutGrants } from './vault-views.js';
import { cachedOpen, type OpenedCopy } from './opened-cache.js';
import { NameHints } from './name-hints.js';
import { definedOnly } from '../../shared/defined-only.js';
import { VersionFloors } from '../integrity/versions-in-log.js';

/** 'allow' only for the person's own views and re-saves: an agent's read of a row put back from an earlier copy is refused. */
export type StaleRows = 'refuse' | 'allow';

interface OpenVault {
  readonly row: VaultRow;
  readonly key: VaultKey;
  readonly meta: VaultMeta;
}


export class VaultStore {
  readonly #db: Database;
  readonly #sql: VaultStatements;
  readonly #clock: () => number;
  readonly #keys = new VaultKeyring();
  // Opened vault metadata and entry titles, by id, served only while the row's version AND sealed
  // bytes are exactly those that were opened: any edit of the database file misses the cache and is
  // checked by the AEAD again. Names and titles only, never values; dropped on lock.
  readonly #metas = new Map<string, OpenedCopy<VaultMeta>>();
  readonly #titles = new Map<string, OpenedCopy<string>>();
  // Which row a vault name or (per vault) an entry title was last found on: a guess the lookup
  // checks against the opened row, so a read by name opens one row, not all (name-hints.ts).
  readonly #vaultHints = new NameHints();
  readonly #entryHints = new NameHints();
  /** The newest version the audit log records for each vault and entry (loaded at unlock by the engine). */
  readonly floors = new VersionFloors();

  constructor(db: Database, clock: () => number = Date.now) {
    this.#db = db;
    this.#sql = prepareStatements(db);
    this.#clock = clock;
  }

  // ---- lock state ----

  /** Keeps its own copy of the master key; the caller may wipe theirs. */
  unlock(master: MasterKey): void {
    this.#keys.unlock(master);
  }

  /** Wipes the master key and every unwrapped vault key. */
  lock(): void {
    this.#keys.lock();
    this.#metas.clear();
    this.#titles.clear();
    this.#vaultHints.clear();
    this.#entryHints.clear();
  }

  isUnlocked(): boolean {
    return this.#keys.isUnlocked();
  }

  // ---- vaults ----

  listVaults(): VaultInfo[] {
    this.#keys.requireUnlocked();
    return this.#openAllVaults()
      .map((v) => toVaultInfo(v.row, v.meta))
      .sort(byName((v) => v.name));
  }

  /** `ref` is a vault id or its name (case-insensitive). */
  getVault(ref: string, stale: StaleRows = 'refuse'): VaultInfo {
    const vault = this.#resolveVault(ref, stale);
    return toVaultInfo(vault.row, vault.meta);
  }

  createVault(input: VaultInput): VaultInfo {
    this.#keys.requireUnlocked();
    const meta = validateVaultInput(input);
    const id = newId();
    const now = this.#clock();
    try {
      this.#db.transaction(() => {
        this.#assertNameFree(meta.name);
        const { key, wrapped } = this.#keys.createVaultKey(id);
        const sealedMeta = sealVaultMeta(key, id, 1, meta);
        this.#sql.insertVault.run({ id, wrapped_key: blob(wrapped), sealed_meta: blob(sealedMeta), version: 1, created_at: now, updated_at: now });
      }).immediate();
    } catch (e) {
      this.#keys.forget(id);
      throw e;
    } finally {
      this.#vaultHints.clear();
    }
    return this.getVault(id);
  }

  /** Only the given settings change; `approval` is replaced as a whole. */
  updateVault(id: string, changes: Partial<VaultInput>): VaultInfo {
    const written = this.#db.transaction(() => {
      const vault = this.#vaultById(id, 'allow');
      const meta = validateVaultInput({ ...vault.meta, ...definedOnly(changes) });
      if (nameKey(meta.name) !== nameKey(vault.meta.name)) this.#assertNameFree(meta.name);
      const version = this.floors.nextVersion('vaults', id, vault.row.version);
      const sealedMeta = sealVaultMeta(vault.key, id, version, meta);
      this.#sql.updateVault.run({ id, sealed_meta: blob(sealedMeta), version, updated_at: this.#clock() });
      return version;
    }).immediate();
    this.#vaultHints.clear();
    // Raised once committed, so a failed write cannot make the stored row look stale.
    this.floors.raise('vaults', id, written);
    return this.getVault(id);
  }

  /** Deletes the vault and (by cascade) its entries; works even if the vault no longer opens. */
  deleteVault(id: string): void {
    this.#keys.requireUnlocked();
    this.#vaultHints.clear();
    this.#entryHints.forget(id);
    if (this.#sql.deleteVault.run(id).changes === 0) throw new VkError('not_found', 'no vault with that id');
    this.floors.deleted('vaults', id);
    this.#keys.forget(id);
  }

  /** The version a vault's settings are stored at (audited with each change: integrity/versions-in-log.ts). */
  vaultVersion(id: string): number {
    return this.#vaultById(id, 'allow').row.version;
  }

  /** The vault's approval setting, for the approval broker. */
  vaultApproval(vaultId: string): ApprovalSetting {
    return this.#vaultById(vaultId).meta.approval;
  }

  // ---- entries ----

  /**
   * Summaries (never values) of one vault's entries or all, filtered by a title substring. Listing
   * grants nothing, so a stale vault still lists; a stale entry lists without its hosts and injection.
   */
  listEntries(vaultRef?: string, query?: string): EntrySummary[] {
    const vaults = vaultRef === undefined ? this.#openAllVaults() : [this.#resolveVault(vaultRef, 'allow')];
    const needle = query === undefined ? '' : nameKey(query);
    const out: EntrySummary[] = [];
    for (const vault of vaults) {
      for (const row of this.#sql.entriesOf.all(vault.row.id)) {
        const place = placeOf(row);
        const title = openEntryTitle(vault.key, place, row.sealed_title);
        if (!nameKey(title).includes(needle)) continue;
        const body = openEntryBody(vault.key, place, row.kind, row.sealed_fields);
        const stale = this.floors.stale('entries', row.id, row.version);
        out.push(toEntrySummary(row, title, stale ? withoutGrants(body) : body));
      }
    }
    return out.sort(byName((e) => e.title));
  }

  /** One vault's entries with their values (backups, exports, duplicate checks), opening the vault once. */
  readEntries(vaultRef: string): Entry[] {
    const vault = this.#resolveVault(vaultRef);
    return this.#sql.entriesOf
      .all(vault.row.id)
      .map((row) => this.#openEntry(vault, row))
      .sort(byName((e) => e.title));
  }

  /** `entryRef` is an entry id or its exact title (case-insensitive). */
  getEntry(vaultRef: string, entryRef: string, stale: StaleRows = 'refuse'): Entry {
    const vault = this.#resolveVault(vaultRef, stale);
    return this.#openEntry(vault, this.#resolveEntry(vault, entryRef), stale);
  }

  createEntry(vaultRef: string, input: EntryInput): EntrySummary {
    const vault = this.#resolveVault(vaultRef);
    const entry = validateEntryInput(input);
    this.#entryHints.forget(vault.row.id);
    return this.#summary(vault, this.#insertNewEntry(vault, entry, this.#clock()));
  }

  /**
   * Adds many entries at once (imports, restores): all are validated first, a failure naming the
   * input's position, then written in one transaction, so either every one is stored or none is.
   * Inside a caller's transaction it nests (better-sqlite3 makes it a savepoint).
   */
  importEntries(vaultRef: string, inputs: readonly EntryInput[]): number {
    const vault = this.#resolveVault(vaultRef);
    const valid = inputs.map((input, i) => {
      try {
        return validateEntryInput(input);
      } catch (e) {
        throw e instanceof VkError ? new VkError(e.code, `entry ${i + 1}: ${e.detail ?? e.code}`) : e;
      }
    });
    const now = this.#clock();
    this.#entryHints.forget(vault.row.id);
    this.#db.transaction(() => {
      for (const entry of valid) {
        this.#insertNewEntry(vault, entry, now);
      }
    }).immediate();
    return valid.length;
  }

  /** Given parts replace the stored ones (`fields` as a whole); everything is resealed under version + 1. */
  updateEntry(vaultRef: string, entryId: string, changes: Partial<EntryInput>): EntrySummary {
    const vault = this.#resolveVault(vaultRef, 'allow');
    this.#entryHints.forget(vault.row.id);
    const written = this.#db.transaction(() => {
      const current = this.#openEntry(vault, this.#entryById(vault, entryId), 'allow');
      const { title, kind, fields, allowedHosts, injection, injectionByHost, canary } = { ...current, ...definedOnly(changes) };
      const entry = validateEntryInput({ title, kind, fields, allowedHosts, injection, injectionByHost, canary });
      const place: EntryPlace = { vaultId: vault.row.id, entryId, version: this.floors.nextVersion('entries', entryId, current.version) };
      const sealed = sealEntry(vault.key, place, entry);
      this.#sql.updateEntry.run({
        id: entryId,
        vault_id: place.vaultId,
        kind: entry.kind,
        version: place.version,
        sealed_title: blob(sealed.sealedTitle),
        sealed_fields: blob(sealed.sealedFields),
        updated_at: this.#clock(),
      });
      return place.version;
    }).immediate();
    this.floors.raise('entries', entryId, written);
    return this.#summary(vault, entryId);
  }

  deleteEntry(vaultRef: string, entryId: string): void {
    const vault = this.#resolveVault(vaultRef, 'allow');
    this.#entryHints.forget(vault.row.id);
    if (this.#sql.deleteEntry.run(vault.row.id, entryId).changes === 0) throw new VkError('not_found', 'no entry with that id in that vault');
    this.floors.deleted('entries', entryId);
  }

  /** The entry's current TOTP code; `invalid_request` if it has no seed. */
  entryTotp(vaultRef: string, entryRef: string, nowMs: number = this.#clock()): TotpCode {
    const seed = this.getEntry(vaultRef, entryRef).fields.totp;
    if (seed === undefined) throw new VkError('invalid_request', 'that entry has no TOTP seed');
    return totpCode(seed, nowMs);
  }

  // ---- helpers ----

  /** Seals and inserts a validated new entry at version 1; returns its id. */
  #insertNewEntry(vault: OpenVault, entry: ReturnType<typeof validateEntryInput>, now: number): string {
    const place: EntryPlace = { vaultId: vault.row.id, entryId: newId(), version: 1 };
    const sealed = sealEntry(vault.key, place, entry);
    this.#sql.insertEntry.run({
      id: place.entryId,
      vault_id: place.vaultId,
      kind: entry.kind,
      version: place.version,
      sealed_title: blob(sealed.sealedTitle),
      sealed_fields: blob(sealed.sealedFields),
      created_at: now,
      updated_at: now,
    });
    return place.entryId;
  }

  #openVault(row: VaultRow): OpenVault {
    const key = this.#keys.vaultKey(row.id, row.wrapped_key);
    const meta = cachedOpen(this.#metas, row.id, row.version, row.sealed_meta, () => openVaultMeta(key, row.id, row.version, row.sealed_meta));
    return { row, key, meta };
  }

  #title(vault: OpenVault, row: EntryRow): string {
    return cachedOpen(this.#titles, row.id, row.version, row.sealed_title, () => openEntryTitle(vault.key, placeOf(row), row.sealed_title));
  }

  #openAllVaults(): OpenVault[] {
    this.#keys.requireUnlocked();
    const vaults = this.#sql.allVaults.all().map((row) => this.#openVault(row));
    this.#vaultHints.remember('', vaults.length, vaults.map((v) => [nameKey(v.meta.name), v.row.id] as const));
    return vaults;
  }

  #vaultById(id: string, stale: StaleRows = 'refuse'): OpenVault {
    this.#keys.requireUnlocked();
    const row = this.#sql.vaultById.get(id);
    if (row === undefined) throw new VkError('not_found', 'no vault with that id');
    return this.#fresh(this.#openVault(row), stale);
  }

  #resolveVault(ref: string, stale: StaleRows = 'refuse'): OpenVault {
    this.#keys.requireUnlocked();
    const row = looksLikeId(ref) ? this.#sql.vaultById.get(ref) : undefined;
    if (row !== undefined) return this.#fresh(this.#openVault(row), stale);
    const key = nameKey(ref);
    const guess = this.#vaultHints.guess('', this.#sql.vaultCount.get() ?? 0, key);
    const hinted = guess === undefined ? undefined : this.#sql.vaultById.get(guess);
    if (hinted !== undefined) {
      const vault = this.#openVault(hinted);
      if (nameKey(vault.meta.name) === key) return this.#fresh(vault, stale);
    }
    const found = this.#openAllVaults().find((v) => nameKey(v.meta.name) === key);
    if (found === undefined) throw new VkError('not_found', 'no vault with that id or name');
    return this.#fresh(found, stale);
  }

  /** A vault whose settings are older than the log's record grants nothing: it does not open for a read. */
  #fresh(vault: OpenVault, stale: StaleRows): OpenVault {
    if (stale === 'refuse') this.floors.check('vaults', vault.row.id, vault.row.version);
    return vault;
  }

  #assertNameFree(name: string): void {
    const key = nameKey(name);
    if (this.#openAllVaults().some((v) => nameKey(v.meta.name) === key)) throw new VkError('conflict', 'a vault with that name already exists');
  }

  #entryById(vault: OpenVault, id: string): EntryRow {
    const row = this.#sql.entryById.get(vault.row.id, id);
    if (row === undefined) throw new VkError('not_found', 'no entry with that id in that vault');
    return row;
  }

  #resolveEntry(vault: OpenVault, ref: string): EntryRow {
    const byId = looksLikeId(ref) ? this.#sql.entryById.get(vault.row.id, ref) : undefined;
    if (byId !== undefined) return byId;
    const key = nameKey(ref);
    const guess = this.#entryHints.guess(vault.row.id, vault.row.entry_count, key);
    const hinted = guess === undefined ? undefined : this.#sql.entryById.get(vault.row.id, guess);
    if (hinted !== undefined && nameKey(this.#title(vault, hinted)) === key) return hinted;
    const all = this.#sql.entriesOf.all(vault.row.id).map((row) => ({ row, key: nameKey(this.#title(vault, row)) }));
    this.#entryHints.remember(vault.row.id, all.length, all.map((e) => [e.key, e.row.id] as const));
    const rows = all.filter((e) => e.key === key).map((e) => e.row);
    if (rows.length > 1) throw new VkError('conflict', 'two entries share that title; use the id');
    if (rows[0] === undefined) throw new VkError('not_found', 'no entry with that id or title in that vault');
    return rows[0];
  }

  /** One decryption per read: the title comes from the cache while its sealed bytes are unchanged. */
  #openEntry(vault: OpenVault, row: EntryRow, stale: StaleRows = 'refuse'): Entry {
    // Opened first: an edited row is `integrity_error`; only a genuine older one is `tamper_detected`.
    const entry = toEntry(row, this.#title(vault, row), openEntryBody(vault.key, placeOf(row), row.kind, row.sealed_fields));
    if (stale === 'refuse') this.floors.check('entries', row.id, row.version);
    return entry;
  }

  #summary(vault: OpenVault, entryId: string): EntrySummary {
    const { fields: _fields, ...summary } = this.#openEntry(vault, this.#entryById(vault, entryId), 'allow');
    return summary;
  }
}

function placeOf(row: EntryRow): EntryPlace {
  return { vaultId: row.vault_id, entryId: row.id, version: row.version };
}
