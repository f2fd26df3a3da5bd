/**
 * The retention policy (keep N days and/or N rows) and where it cuts. With both limits a row is
 * deleted only when both allow it. Never cut: the newest row (the ledger's head lives in it) and
 * any row an enabled sink has not delivered yet (disable or remove a sink that is gone for good).
 */
import type { Database } from '../store/database.js';
import type { AuditRows } from '../audit/audit-rows.js';
import { VkError } from '../../shared/errors.js';
import { MAX_RETENTION_DAYS, retentionLimitProblem } from '../../shared/field-checks.js';
import type { AuditArchiveInfo, AuditRetentionPolicy } from '../../shared/model.js';
import type { MacField } from '../integrity/row-mac.js';
import type { RowSeal } from '../integrity/row-seal.js';

const DAY_MS = 86_400_000;
export function checkRetentionPolicy(p: { keepDays?: unknown; keepRows?: unknown }): AuditRetentionPolicy {
  return { keepDays: limit(p.keepDays, 'The number of days to keep', MAX_RETENTION_DAYS), keepRows: limit(p.keepRows, 'The number of rows to keep', Number.MAX_SAFE_INTEGER) };
}

function limit(v: unknown, label: string, max: number): number | null {
  if (v === undefined || v === null) return null;
  const problem = typeof v === 'number' ? retentionLimitProblem(v, label, max) : `${label} must be a number, or left empty for no limit.`;
  if (problem !== undefined) throw new VkError('invalid_request', problem);
  return v as number;
}

const KEEP_EVERYTHING: AuditRetentionPolicy = { keepDays: null, keepRows: null };
const ROW_ID = '1';
const policyFields = (p: AuditRetentionPolicy): MacField[] => [p.keepDays, p.keepRows];

interface PolicyRow {
  readonly policy: AuditRetentionPolicy;
  readonly mac: string | null;
}

function readRow(db: Database): PolicyRow | undefined {
  const row = db.prepare<[], { keep_days: number | null; keep_rows: number | null; mac: string | null }>('SELECT keep_days, keep_rows, mac FROM audit_retention WHERE id = 1').get();
  return row === undefined ? undefined : { policy: { keepDays: row.keep_days, keepRows: row.keep_rows }, mac: row.mac };
}

/**
 * The policy retention acts on. A shorter policy deletes evidence, so the row carries a MAC: one
 * that fails is reported (tamper_detected, audited once, shown) and read as "keep everything".
 * With no key loaded yet, nothing can be checked, and nothing is deleted either.
 */
export function readRetentionPolicy(db: Database, seal: RowSeal): AuditRetentionPolicy {
  const row = readRow(db);
  if (row === undefined || !seal.ready) return KEEP_EVERYTHING;
  return seal.valid('audit_retention', ROW_ID, policyFields(row.policy), row.mac) ? row.policy : KEEP_EVERYTHING;
}

export function writeRetentionPolicy(db: Database, seal: RowSeal, policy: AuditRetentionPolicy, now: number): void {
  db.prepare(
    `INSERT INTO audit_retention (id, keep_days, keep_rows, updated_at, mac) VALUES (1, ?, ?, ?, ?)
     ON CONFLICT(id) DO UPDATE SET keep_days = excluded.keep_days, keep_rows = excluded.keep_rows, updated_at = excluded.updated_at, mac = excluded.mac`,
  ).run(policy.keepDays, policy.keepRows, now, seal.sign('audit_retention', ROW_ID, policyFields(policy)));
}

/** Gives a policy an older Valetkey stored its MAC (the one-time step at the first unlock). */
export function sealRetentionPolicy(db: Database, seal: RowSeal): number {
  const row = readRow(db);
  if (row === undefined || row.mac !== null) return 0;
  db.prepare('UPDATE audit_retention SET mac = ? WHERE id = 1').run(seal.sign('audit_retention', ROW_ID, policyFields(row.policy)));
  return 1;
}

export interface CutLimits {
  readonly anchorSeq: number;
  /** The lowest cursor among enabled sinks, if any. */
  readonly sinkCursor: number | undefined;
}

/** Rows with seq ≤ the answer go; the answer is ≤ anchorSeq when there is nothing to do. */
export function retentionCut(rows: AuditRows, policy: AuditRetentionPolicy, now: number, limits: CutLimits): number {
  if (policy.keepDays === null && policy.keepRows === null) return limits.anchorSeq;
  const head = rows.newestSeq() ?? 0;
  let cut = head - 1;
  if (policy.keepRows !== null) cut = Math.min(cut, head - policy.keepRows);
  if (policy.keepDays !== null) {
    const old = rows.lastSeqBefore(now - policy.keepDays * DAY_MS);
    cut = Math.min(cut, old ?? limits.anchorSeq);
  }
  if (limits.sinkCursor !== undefined) cut = Math.min(cut, limits.sinkCursor);
  return cut;
}

interface ArchiveDbRow {
  readonly file: string;
  readonly from_seq: number;
  readonly to_seq: number;
  readonly sha256: string;
  readonly created_at: number;
}

export function listArchives(db: Database): AuditArchiveInfo[] {
  return db
    .prepare<[], ArchiveDbRow>('SELECT file, from_seq, to_seq, sha256, created_at FROM audit_archives ORDER BY from_seq')
    .all()
    .map((r) => ({ file: r.file, fromSeq: r.from_seq, toSeq: r.to_seq, sha256: r.sha256, createdAt: new Date(r.created_at).toISOString() }));
}
