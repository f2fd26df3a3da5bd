/**
 * Every read and delete of the `audit` table outside the append path, over one connection: the
 * engine's (AuditLedger.rows) or an export's own read-only one. Keeping the SQL here means the
 * table's shape and indexes are known in one folder (appends live in audit-ledger.ts).
 */
import type { Statement } from 'better-sqlite3';
import type { Database } from '../store/database.js';
import type { AuditExportFilter, AuditRow } from '../../shared/model.js';
import { AUDIT_COLUMNS, decodeAuditRow, type AuditDbRow } from './audit-row-codec.js';

/** A stored row with the hash of the row before it and its checkpoint signature, if any (exports). */
export interface AuditRowWithLinks {
  readonly row: AuditRow;
  /** Null for the first row of the range when the row before it is not in the table. */
  readonly prevHash: Uint8Array | null;
  readonly checkpoint?: { readonly keyId: string; readonly signature: Uint8Array };
}

interface LinkedDbRow extends AuditDbRow {
  readonly prev_hash: Uint8Array | null;
  readonly cp_key_id: string | null;
  readonly cp_signature: Uint8Array | null;
}

type Seq = { seq: number | null };

const EQUALITY = { agent: 'agent', tokenId: 'token_id', vaultId: 'vault_id', action: 'action', outcome: 'outcome', actor: 'actor' } as const;

/** What the log says of vaults and entries: the newest version saved of each, and which were deleted. */
export interface VersionsInLog {
  readonly vaults: ReadonlyMap<string, number>;
  readonly entries: ReadonlyMap<string, number>;
  readonly deletedVaults: readonly string[];
  readonly deletedEntries: readonly string[];
}

export class AuditRows {
  private readonly oldest: Statement<[], Seq>;
  private readonly newest: Statement<[], Seq>;
  private readonly firstAt: Statement<[number], Seq>;
  private readonly lastBefore: Statement<[number], Seq>;
  private readonly hashOf: Statement<[number], { hash: Uint8Array }>;
  private readonly page: Statement<[number, number], AuditDbRow>;

  constructor(private readonly db: Database) {
    this.oldest = db.prepare('SELECT min(seq) AS seq FROM audit');
    this.newest = db.prepare('SELECT max(seq) AS seq FROM audit');
    this.firstAt = db.prepare('SELECT min(seq) AS seq FROM audit WHERE ts >= ?');
    this.lastBefore = db.prepare('SELECT max(seq) AS seq FROM audit WHERE ts < ?');
    this.hashOf = db.prepare('SELECT hash FROM audit WHERE seq = ?');
    this.page = db.prepare(`SELECT ${AUDIT_COLUMNS} FROM audit WHERE seq > ? ORDER BY seq LIMIT ?`);
  }

  /** The lowest seq still stored (retention deletes from the bottom), if any row is. */
  oldestSeq(): number | undefined {
    return this.oldest.get()?.seq ?? undefined;
  }

  newestSeq(): number | undefined {
    return this.newest.get()?.seq ?? undefined;
  }

  /** The first row written at or after `ts` (milliseconds). */
  firstSeqAtOrAfter(ts: number): number | undefined {
    return this.firstAt.get(ts)?.seq ?? undefined;
  }

  /** The last row written before `ts` (milliseconds). */
  lastSeqBefore(ts: number): number | undefined {
    return this.lastBefore.get(ts)?.seq ?? undefined;
  }

  /** The stored hash of row `seq`, a copy the caller may keep. */
  storedHash(seq: number): Uint8Array | undefined {
    const row = this.hashOf.get(seq);
    return row === undefined ? undefined : new Uint8Array(row.hash);
  }

  /** Up to `limit` rows after `afterSeq`, in order (sinks deliver from a cursor). */
  after(afterSeq: number, limit: number): readonly AuditRow[] {
    return this.page.all(afterSeq, limit).map((r) => decodeAuditRow(r));
  }

  /** Rows in [from, to] that match the export filter's equality and text conditions. */
  countMatching(from: number, to: number, filter: AuditExportFilter): number {
    const { where, params } = rowConditions(filter);
    const sql = `SELECT count(*) AS n FROM audit a WHERE a.seq BETWEEN ? AND ?${where}`;
    return this.db.prepare<unknown[], { n: number }>(sql).get(from, to, ...params)?.n ?? 0;
  }

  /** Streams the matching rows in [from, to], each with its predecessor's hash and its checkpoint. */
  *linked(from: number, to: number, filter: AuditExportFilter): Generator<AuditRowWithLinks> {
    const { where, params } = rowConditions(filter);
    const columns = AUDIT_COLUMNS.split(', ').map((c) => `a.${c}`).join(', ');
    const sql = `SELECT ${columns}, p.hash AS prev_hash, c.key_id AS cp_key_id, c.signature AS cp_signature
      FROM audit a LEFT JOIN audit p ON p.seq = a.seq - 1 LEFT JOIN audit_checkpoints c ON c.seq = a.seq
      WHERE a.seq BETWEEN ? AND ?${where} ORDER BY a.seq`;
    for (const r of this.db.prepare<unknown[], LinkedDbRow>(sql).iterate(from, to, ...params)) {
      const checkpoint = r.cp_key_id !== null && r.cp_signature !== null ? { checkpoint: { keyId: r.cp_key_id, signature: r.cp_signature } } : {};
      yield { row: decodeAuditRow(r), prevHash: r.prev_hash, ...checkpoint };
    }
  }

  /** Every revocation the log records: tokens revoked by id, and when "revoke all" ran (integrity/revocations-in-log.ts). */
  tokenRevocations(): { readonly tokenIds: readonly string[]; readonly allAt: readonly number[] } {
    const ids = this.db
      .prepare<[], string>("SELECT DISTINCT token_id FROM audit WHERE action IN ('token.revoke', 'token.self_revoke') AND outcome = 'ok' AND token_id IS NOT NULL")
      .pluck()
      .all();
    const allAt = this.db.prepare<[], number>("SELECT ts FROM audit WHERE action = 'token.revoke_all' AND outcome = 'ok'").pluck().all();
    return { tokenIds: ids, allAt };
  }

  /** The action of the log's last pause or resume of this token (a tripwire alert that paused it counts as a pause). */
  lastPauseOrResume(tokenId: string): string | undefined {
    const sql = `SELECT action FROM audit WHERE token_id = ? AND (action IN ('token.pause', 'token.resume')
      OR (action LIKE 'alert.%' AND json_extract(detail, '$.done') = 'paused')) ORDER BY seq DESC LIMIT 1`;
    return this.db.prepare<[string], string>(sql).pluck().get(tokenId);
  }

  /**
   * The newest version the log records for each vault and entry a person changed, and those deleted
   * (integrity/versions-in-log.ts). One grouped scan per table, run at unlock only.
   */
  newestVersions(): VersionsInLog {
    const newest = (idColumn: 'vault_id' | 'entry_id', action: string): Map<string, number> => {
      const sql = `SELECT ${idColumn} AS id, max(CAST(json_extract(detail, '$.version') AS INTEGER)) AS version FROM audit
        WHERE action = ? AND outcome = 'ok' AND ${idColumn} IS NOT NULL AND json_extract(detail, '$.version') IS NOT NULL GROUP BY ${idColumn}`;
      const rows = this.db.prepare<[string], { id: string; version: number }>(sql).all(action);
      return new Map(rows.map((r) => [r.id, r.version]));
    };
    const deleted = (idColumn: 'vault_id' | 'entry_id', action: string): string[] =>
      this.db.prepare<[string], string>(`SELECT DISTINCT ${idColumn} FROM audit WHERE action = ? AND outcome = 'ok' AND ${idColumn} IS NOT NULL`).pluck().all(action);
    return {
      vaults: newest('vault_id', 'vault.update'),
      entries: newest('entry_id', 'entry.update'),
      deletedVaults: deleted('vault_id', 'vault.delete'),
      deletedEntries: deleted('entry_id', 'entry.delete'),
    };
  }

  /** Deletes up to `limit` of the oldest rows with seq ≤ `cut`; the number deleted (retention, after archiving). */
  deleteThrough(cut: number, limit: number): number {
    const sql = 'DELETE FROM audit WHERE seq IN (SELECT seq FROM audit WHERE seq <= ? ORDER BY seq LIMIT ?)';
    return this.db.prepare(sql).run(cut, limit).changes;
  }
}

/** True when the filter drops rows inside the seq range (the export is then not a contiguous chain). */
export function filterSelectsRows(filter: AuditExportFilter): boolean {
  return rowConditions(filter).where !== '';
}

function rowConditions(filter: AuditExportFilter): { where: string; params: (string | number)[] } {
  const parts: string[] = [];
  const params: (string | number)[] = [];
  for (const [key, column] of Object.entries(EQUALITY)) {
    const v = filter[key as keyof typeof EQUALITY];
    if (v === undefined) continue;
    parts.push(`a.${column} = ?`);
    params.push(v);
  }
  if (filter.reasonContains !== undefined && filter.reasonContains !== '') {
    parts.push('instr(lower(a.reason), lower(?)) > 0');
    params.push(filter.reasonContains);
  }
  return { where: parts.map((p) => ` AND ${p}`).join(''), params };
}
