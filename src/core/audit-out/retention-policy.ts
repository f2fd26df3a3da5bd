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

export function readRetentionPolicy(db: Database): AuditRetentionPolicy {
  const row = db.prepare<[], { keep_days: number | null; keep_rows: number | null }>('SELECT keep_days, keep_rows FROM audit_retention WHERE id = 1').get();
  return { keepDays: row?.keep_days ?? null, keepRows: row?.keep_rows ?? null };
}

export function writeRetentionPolicy(db: Database, policy: AuditRetentionPolicy, now: number): void {
  db.prepare(
    `INSERT INTO audit_retention (id, keep_days, keep_rows, updated_at) VALUES (1, ?, ?, ?)
     ON CONFLICT(id) DO UPDATE SET keep_days = excluded.keep_days, keep_rows = excluded.keep_rows, updated_at = excluded.updated_at`,
  ).run(policy.keepDays, policy.keepRows, now);
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
