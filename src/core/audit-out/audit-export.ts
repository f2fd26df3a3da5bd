/**
 * Streams an export: rows come from a better-sqlite3 iterator one at a time and go out through a
 * Writable, waiting for 'drain' whenever it is full, so memory stays flat for millions of rows.
 * The whole export reads one snapshot (a read transaction), so the header's range and row count
 * are exactly what follows even while the engine keeps appending.
 *
 * Give it a connection of its own (openExportDatabase): an open iterator keeps its connection busy,
 * and the engine's connection must stay free for audit appends.
 */
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { openDatabase, type Database } from '../store/database.js';
import { VkError } from '../../shared/errors.js';
import type { AuditExportRequest, AuditExportSummary } from '../../shared/model.js';
import { toHex } from '../audit/audit-chain.js';
import { AuditRows } from '../audit/audit-rows.js';
import { formatterFor } from './export-formats.js';
import { EXPORT_TYPE, EXPORT_VERSION, type ExportedRow, type ExportHeader, type ExportNames } from './export-row.js';
import { planExport, type ExportPlan } from './export-plan.js';
import { readSignedHead } from '../audit/audit-head.js';

export interface ExportMeta {
  readonly engineVersion: string;
  readonly now: () => number;
  /** Refuse (export_too_large) before writing anything when the export holds more rows. */
  readonly maxRows?: number;
  /** Vault and entry names to put beside the ids (the dashboard's download). */
  readonly names?: ExportNames;
}

/** Writes are gathered into chunks of about this many characters: fewer, larger writes. */
const CHUNK_CHARS = 64 * 1024;

/** A read-only connection to the engine's database file (WAL lets it read beside the engine). */
export function openExportDatabase(file: string): Database {
  return openDatabase(file, { readonly: true });
}

export async function writeAuditExport(db: Database, request: AuditExportRequest, out: Writable, meta: ExportMeta): Promise<AuditExportSummary> {
  db.exec('BEGIN');
  try {
    const rows = new AuditRows(db);
    const plan = planExport(db, rows, request);
    if (meta.maxRows !== undefined && plan.rows > meta.maxRows) throw new VkError('export_too_large', `${plan.rows} rows match`);
    const formatter = formatterFor(request.format, meta.engineVersion, meta.names);
    const writer = new ChunkWriter(out);
    const signedThrough = readSignedHead(db)?.seq ?? 0;
    await writer.add(formatter.header(header(plan, request, meta, signedThrough)));
    for (const exported of iterateRows(rows, plan)) await writer.add(formatter.row(exported));
    await writer.flush();
    return summary(plan, request, signedThrough);
  } finally {
    db.exec('COMMIT');
  }
}

function header(plan: ExportPlan, request: AuditExportRequest, meta: ExportMeta, signedThrough: number): ExportHeader {
  return {
    type: EXPORT_TYPE,
    version: EXPORT_VERSION,
    format: request.format,
    generatedAt: new Date(meta.now()).toISOString(),
    engineVersion: meta.engineVersion,
    fromSeq: plan.fromSeq,
    toSeq: plan.toSeq,
    rows: plan.rows,
    prevHash: plan.prevHash,
    lastHash: plan.lastHash,
    contiguous: plan.contiguous,
    filter: plan.filter,
    signedThrough,
  };
}

function summary(plan: ExportPlan, request: AuditExportRequest, signedThrough: number): AuditExportSummary {
  const { fromSeq, toSeq, rows, prevHash, lastHash, contiguous } = plan;
  const tail = rows > 0 && toSeq > signedThrough ? { unsignedTail: { from: Math.max(fromSeq, signedThrough + 1), to: toSeq } } : {};
  return { format: request.format, rows, fromSeq, toSeq, prevHash, lastHash, contiguous, signedThrough, ...tail };
}

function* iterateRows(rows: AuditRows, plan: ExportPlan): Generator<ExportedRow> {
  if (plan.rows === 0) return;
  for (const r of rows.linked(plan.fromSeq, plan.toSeq, plan.filter ?? {})) {
    const prevHash = r.prevHash !== null ? toHex(r.prevHash) : r.row.seq === plan.fromSeq ? plan.prevHash : '';
    const checkpoint = r.checkpoint === undefined
      ? undefined
      : { keyId: r.checkpoint.keyId, signature: Buffer.from(r.checkpoint.signature).toString('base64url') };
    yield { row: r.row, prevHash, ...(checkpoint ? { checkpoint } : {}) };
  }
}

/** Gathers small strings and writes them in chunks, honouring backpressure. */
class ChunkWriter {
  private parts: string[] = [];
  private size = 0;

  constructor(private readonly out: Writable) {}

  async add(text: string): Promise<void> {
    if (text === '') return;
    this.parts.push(text);
    this.size += text.length;
    if (this.size >= CHUNK_CHARS) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.parts.length === 0) return;
    const chunk = this.parts.join('');
    this.parts = [];
    this.size = 0;
    if (this.out.destroyed) throw new Error('the export stream closed before the export was complete');
    if (!this.out.write(chunk)) await drained(this.out);
  }
}

/** 'drain', or a failure if the stream errors or closes first (a reader that went away). */
async function drained(out: Writable): Promise<void> {
  const ac = new AbortController();
  try {
    await Promise.race([
      once(out, 'drain', { signal: ac.signal }),
      once(out, 'close', { signal: ac.signal }).then(() => {
        throw new Error('the export stream closed before the export was complete');
      }),
    ]);
  } finally {
    ac.abort();
  }
}
