/**
 * Works out which rows an export holds before the first one is written, so the JSON Lines header
 * can say exactly which range of the chain follows: seqs, row count, the hash before the first
 * row and the hash of the last. Runs inside the export's read transaction (one snapshot).
 */
import type { Database } from '../store/database.js';
import { VkError } from '../../shared/errors.js';
import type { AuditExportFilter, AuditExportRequest } from '../../shared/model.js';
import { GENESIS_HASH, toHex } from '../audit/audit-chain.js';
import { buildAuditQuery } from '../audit/audit-query.js';
import { readAnchor } from './audit-anchor.js';
import { isExportFormat } from './export-formats.js';

export interface ExportPlan {
  readonly fromSeq: number;
  readonly toSeq: number;
  readonly rows: number;
  readonly prevHash: string;
  readonly lastHash: string | null;
  readonly contiguous: boolean;
  readonly filter: AuditExportFilter | null;
  /** SQL conditions on the `a` alias, and their parameters after the seq range. */
  readonly where: string;
  readonly params: readonly (string | number)[];
}

const EQUALITY = { agent: 'agent', tokenId: 'token_id', vaultId: 'vault_id', action: 'action', outcome: 'outcome', actor: 'actor' } as const;

export function checkExportRequest(request: AuditExportRequest): void {
  if (typeof request !== 'object' || request === null) throw new VkError('invalid_request', 'the export request must be an object');
  if (!isExportFormat(request.format)) throw new VkError('invalid_request', 'format must be one of csv, jsonl, cef, ocsf');
  for (const name of ['fromSeq', 'toSeq'] as const) {
    const v = request[name];
    if (v !== undefined && (!Number.isSafeInteger(v) || v < 1)) throw new VkError('invalid_request', `${name} must be a whole number of at least 1`);
  }
  // The Activity page's own validation: same filters, same limits, same messages.
  if (request.filter !== undefined) buildAuditQuery(request.filter);
}

export function planExport(db: Database, request: AuditExportRequest): ExportPlan {
  checkExportRequest(request);
  const filter = request.filter ?? {};
  const bounds = db.prepare<[], { lo: number | null; hi: number | null }>('SELECT min(seq) AS lo, max(seq) AS hi FROM audit').get();
  // Rows at or below the anchor are archived (a crash may leave some not yet deleted): start after it.
  let from = Math.max(request.fromSeq ?? 1, bounds?.lo ?? 1, (readAnchor(db)?.seq ?? 0) + 1);
  let to = Math.min(request.toSeq ?? Number.MAX_SAFE_INTEGER, bounds?.hi ?? 0);
  if (filter.since !== undefined) from = Math.max(from, seqAt(db, 'SELECT min(seq) AS seq FROM audit WHERE ts >= ?', filter.since) ?? to + 1);
  if (filter.until !== undefined) to = Math.min(to, seqAt(db, 'SELECT max(seq) AS seq FROM audit WHERE ts < ?', filter.until) ?? 0);
  const { where, params } = rowConditions(filter);
  if (from > to) {
    // Empty: say so at the end of the chain, where row from - 1 exists (or is the genesis).
    from = Math.min(from, (bounds?.hi ?? 0) + 1);
    to = from - 1;
  }
  const rows = to < from ? 0 : count(db, from, to, where, params);
  return {
    fromSeq: from,
    toSeq: to,
    rows,
    prevHash: toHex(hashBefore(db, from)),
    lastHash: to < from ? null : storedHashHex(db, to),
    contiguous: where === '',
    filter: request.filter ?? null,
    where,
    params,
  };
}

function seqAt(db: Database, sql: string, ts: number): number | undefined {
  return db.prepare<[number], { seq: number | null }>(sql).get(ts)?.seq ?? undefined;
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

function count(db: Database, from: number, to: number, where: string, params: readonly (string | number)[]): number {
  const sql = `SELECT count(*) AS n FROM audit a WHERE a.seq BETWEEN ? AND ?${where}`;
  return db.prepare<unknown[], { n: number }>(sql).get(from, to, ...params)?.n ?? 0;
}

/** h_{from-1}: genesis, the stored row, or the retention anchor when that row was archived. */
export function hashBefore(db: Database, from: number): Uint8Array {
  if (from <= 1) return GENESIS_HASH;
  const row = db.prepare<[number], { hash: Uint8Array }>('SELECT hash FROM audit WHERE seq = ?').get(from - 1);
  if (row !== undefined) return new Uint8Array(row.hash);
  const anchor = readAnchor(db);
  if (anchor !== undefined && anchor.seq === from - 1) return anchor.hash;
  throw new VkError('integrity_error', `row ${from - 1} is missing from the audit ledger; run \`valetkey audit verify\``);
}

function storedHashHex(db: Database, seq: number): string | null {
  const row = db.prepare<[number], { hash: Uint8Array }>('SELECT hash FROM audit WHERE seq = ?').get(seq);
  return row === undefined ? null : toHex(row.hash);
}
