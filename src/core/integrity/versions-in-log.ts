/**
 * Every change a person makes to a vault or an entry is an audit row with the version it wrote,
 * and the log is signed and (with keychain storage) held to the keychain's high-water mark. A vault
 * or entry row saved while it was wide and written back later opens fine (its AEAD binds the old
 * version it carries), but its version is older than the log's: it grants nothing until the person
 * saves it again. A vault or entry the log shows deleted (ids are never reused) that is back in the
 * file grants nothing either, until the person deletes it again. The floors come from the log once at unlock and rise with every save, so a row
 * put back while the engine runs is caught too, with no query per request.
 */
import { VkError } from '../../shared/errors.js';
import type { AuditRows } from '../audit/audit-rows.js';

export type VersionedTable = 'vaults' | 'entries';

// A deleted row's floor: no version reaches it, and no re-save heals it (deleting it again does).
const DELETED = Number.POSITIVE_INFINITY;

const HOW_TO_FIX_DELETED: Record<VersionedTable, string> = {
  vaults: 'this vault was deleted and a copy of it was put back into the database; delete it again (dashboard, or `valetkey vault rm`)',
  entries: 'this entry was deleted and a copy of it was put back into the database; delete it again (dashboard, or `valetkey item rm`)',
};

const HOW_TO_FIX: Record<VersionedTable, string> = {
  vaults:
    'this vault’s settings are older than the audit log records (an earlier copy was put back); open the vault’s settings in the dashboard (or run `valetkey vault set`), check its approval setting and save it again',
  entries:
    'this entry is older than the audit log records (an earlier copy was put back); edit the entry in the dashboard (or run `valetkey item edit`), check its allowed hosts and save it again',
};

export class VersionFloors {
  readonly #floors: Record<VersionedTable, Map<string, number>> = { vaults: new Map(), entries: new Map() };
  #report: (table: VersionedTable, id: string) => void = () => undefined;

  /** At unlock: the newest versions the log records, and where a row older than them is reported. */
  load(log: Pick<AuditRows, 'newestVersions'>, report: (table: VersionedTable, id: string) => void): void {
    const { vaults, entries, deletedVaults, deletedEntries } = log.newestVersions();
    for (const [id, v] of vaults) this.raise('vaults', id, v);
    for (const [id, v] of entries) this.raise('entries', id, v);
    for (const id of deletedVaults) this.raise('vaults', id, DELETED);
    for (const id of deletedEntries) this.raise('entries', id, DELETED);
    this.#report = report;
  }

  /** A save wrote this version: nothing older may come back. */
  raise(table: VersionedTable, id: string, version: number): void {
    if (version > (this.#floors[table].get(id) ?? 0)) this.#floors[table].set(id, version);
  }

  /** A delete: the row must not come back. */
  deleted(table: VersionedTable, id: string): void {
    this.raise(table, id, DELETED);
  }

  /** The version a re-save writes: above both the row and the log, so a put-back row is healed by one save. */
  nextVersion(table: VersionedTable, id: string, rowVersion: number): number {
    const floor = this.#floors[table].get(id) ?? 0;
    if (floor === DELETED) throw new VkError('tamper_detected', HOW_TO_FIX_DELETED[table]);
    return Math.max(rowVersion, floor) + 1;
  }

  /** True (and reported, once per run) when the row is older than the newest version known for it. */
  stale(table: VersionedTable, id: string, rowVersion: number): boolean {
    if (rowVersion >= (this.#floors[table].get(id) ?? 0)) return false;
    this.#report(table, id);
    return true;
  }

  /** Throws tamper_detected, saying how to fix it, when the row is stale. */
  check(table: VersionedTable, id: string, rowVersion: number): void {
    if (!this.stale(table, id, rowVersion)) return;
    throw new VkError('tamper_detected', (this.#floors[table].get(id) === DELETED ? HOW_TO_FIX_DELETED : HOW_TO_FIX)[table]);
  }
}
