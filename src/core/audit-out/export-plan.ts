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
import { filterSelectsRows, type AuditRows } from '../audit/audit-rows.js';
import { readAnchor } from '../audit/audit-anchor.js';
import { isExportFormat } from './export-formats.js';

export interface ExportPlan {
  readonly fromSeq: number;
  readonly toSeq: number;
  readonly rows: number;
  readonly prevHash: string;
  readonly lastHash: string | null;
  readonly contiguous: boolean;
  readonly filter: AuditExportFilter | null;
}

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

export function planExport(db: Database, rows: AuditRows, request: AuditExportRequest): ExportPlan {
  checkExportRequest(request);
  const filter = request.filter ?? {};
  const lo = rows.oldestSeq();
  const hi = rows.newestSeq() ?? 0;
  // Rows at or below the anchor are archived (a crash may leave some not yet deleted): start after it.
  let from = Math.max(request.fromSeq ?? 1, lo ?? 1, (readAnchor(db)?.seq ?? 0) + 1);
  let to = Math.min(request.toSeq ?? Number.MAX_SAFE_INTEGER, hi);
  if (filter.since !== undefined) from = Math.max(from, rows.firstSeqAtOrAfter(filter.since) ?? to + 1);
  if (filter.until !== undefined) to = Math.min(to, rows.lastSeqBefore(filter.until) ?? 0);
  if (from > to) {
    // Empty: say so at the end of the chain, where row from - 1 exists (or is the genesis).
    from = Math.min(from, hi + 1);
    to = from - 1;
  }
  const lastHash = to < from ? undefined : rows.storedHash(to);
  return {
    fromSeq: from,
    toSeq: to,
    rows: to < from ? 0 : rows.countMatching(from, to, filter),
    prevHash: toHex(hashBefore(db, rows, from)),
    lastHash: lastHash === undefined ? null : toHex(lastHash),
    contiguous: !filterSelectsRows(filter),
    filter: request.filter ?? null,
  };
}

/** h_{from-1}: genesis, the stored row, or the retention anchor when that row was archived. */
function hashBefore(db: Database, rows: AuditRows, from: number): Uint8Array {
  if (from <= 1) return GENESIS_HASH;
  const stored = rows.storedHash(from - 1);
  if (stored !== undefined) return stored;
  const anchor = readAnchor(db);
  if (anchor !== undefined && anchor.seq === from - 1) return anchor.hash;
  throw new VkError('integrity_error', `row ${from - 1} is missing from the audit ledger; run \`valetkey audit verify\``);
}
