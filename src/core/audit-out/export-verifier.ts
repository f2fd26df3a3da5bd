/**
 * `valetkey audit verify --export FILE`: checks a JSON Lines export line by line (streamed, so
 * any size works). It recomputes the chain from the header's prevHash through every row, checks
 * each checkpoint signature the export carries, and compares the rows with what the ledger still
 * holds: stored row hashes, stored checkpoints and the signed retention anchor. Rows the ledger
 * no longer has (archived) must be bound by something signed: the anchor, a checkpoint, or the
 * archive's own `.sig`.
 */
import type { AuditExportVerification } from '../../shared/model.js';
import { checkpointMessage, GENESIS_HASH, rowHash, sameBytes, toHex, type ChainedRow } from '../audit/audit-chain.js';
import type { CheckpointVerifier } from '../audit/audit-verifier.js';
import { EXPORT_TYPE, EXPORT_VERSION, type ExportHeader } from './export-row.js';

/** What the export is compared with. Offline (archive alone) everything but `verify` is empty. */
export interface ExportReference {
  storedHash(seq: number): Uint8Array | undefined;
  checkpointHash(seq: number): Uint8Array | undefined;
  readonly anchor: { readonly seq: number; readonly hash: Uint8Array } | undefined;
  /** False offline: a row missing from the ledger is then expected, not a problem. */
  readonly hasLedger: boolean;
  readonly verify: CheckpointVerifier;
}

export class ExportProblem extends Error {
  constructor(readonly seq: number, text: string) {
    super(text);
  }
}

interface State {
  header: ExportHeader | undefined;
  prev: Uint8Array;
  lastSeq: number;
  rows: number;
  checkpoints: number;
  matched: number;
  archived: number;
  lastArchivedSeq: number;
  /** Highest seq whose hash something signed or stored confirmed (binds every row before it). */
  boundSeq: number;
  keyId: string | undefined;
}

const HEX64 = /^[0-9a-f]{64}$/;
const CHAINED_KEYS = ['seq', 'ts', 'actor', 'agent', 'tokenId', 'keyThumbprint', 'action', 'vaultId', 'entryId', 'field', 'reason', 'outcome', 'errorCode', 'approvalId', 'detail'] as const;

export class ExportVerifier {
  private readonly s: State = { header: undefined, prev: GENESIS_HASH, lastSeq: 0, rows: 0, checkpoints: 0, matched: 0, archived: 0, lastArchivedSeq: 0, boundSeq: 0, keyId: undefined };

  constructor(private readonly ref: ExportReference) {}

  /** Feed lines in order; throws ExportProblem at the first thing wrong. */
  line(text: string): void {
    if (text.trim() === '') return;
    const value = parseLine(text, this.s.header === undefined ? 0 : this.s.lastSeq + 1);
    if (this.s.header === undefined) this.start(value);
    else this.row(value);
  }

  /** After the last line: the totals must match the header. */
  finish(archiveSignature: AuditExportVerification['archiveSignature']): AuditExportVerification {
    const h = this.requireHeader();
    if (this.s.rows !== h.rows) throw new ExportProblem(this.s.lastSeq + 1, `the export is cut short: its header promises ${h.rows} rows, the file holds ${this.s.rows}`);
    if (h.contiguous && h.rows > 0 && (this.s.lastSeq !== h.toSeq || toHex(this.s.prev) !== h.lastHash)) {
      throw new ExportProblem(this.s.lastSeq, `the export ends at row ${this.s.lastSeq}, not at row ${h.toSeq} with the hash its header names`);
    }
    if (archiveSignature === 'invalid') throw new ExportProblem(h.fromSeq, 'the archive signature (.sig) does not match this file or this key');
    if (archiveSignature !== 'valid' && this.s.lastArchivedSeq > this.s.boundSeq) {
      throw new ExportProblem(this.s.lastArchivedSeq, `rows up to ${this.s.lastArchivedSeq} are no longer in the ledger and nothing signed covers them after row ${this.s.boundSeq}`);
    }
    return this.result(archiveSignature);
  }

  result(archiveSignature: AuditExportVerification['archiveSignature'], problem?: ExportProblem): AuditExportVerification {
    const h = this.s.header;
    const base = {
      ok: problem === undefined,
      rowsChecked: this.s.rows,
      fromSeq: h?.fromSeq ?? 0,
      toSeq: h?.toSeq ?? 0,
      contiguous: h?.contiguous ?? false,
      checkpointsChecked: this.s.checkpoints,
      rowsMatchedLedger: this.s.matched,
      rowsArchived: this.s.archived,
      archiveSignature,
      ...(this.s.keyId !== undefined ? { keyId: this.s.keyId } : {}),
    };
    return problem === undefined ? base : { ...base, firstBadSeq: problem.seq, problem: problem.message };
  }

  header(): ExportHeader | undefined {
    return this.s.header;
  }

  private requireHeader(): ExportHeader {
    if (this.s.header === undefined) throw new ExportProblem(0, 'the file is empty: not a Valetkey JSON Lines export');
    return this.s.header;
  }

  private start(value: Record<string, unknown>): void {
    const h = value as Partial<ExportHeader>;
    if (h.type !== EXPORT_TYPE || h.version !== EXPORT_VERSION || h.format !== 'jsonl') {
      throw new ExportProblem(0, 'the first line is not a Valetkey JSON Lines export header');
    }
    if (!isSeq(h.fromSeq) || !Number.isSafeInteger(h.toSeq) || !Number.isSafeInteger(h.rows) || typeof h.prevHash !== 'string' || !HEX64.test(h.prevHash) || typeof h.contiguous !== 'boolean') {
      throw new ExportProblem(0, 'the export header is malformed');
    }
    this.s.header = h as ExportHeader;
    this.s.prev = Buffer.from(h.prevHash, 'hex');
    this.s.lastSeq = h.fromSeq - 1;
    if (h.contiguous) this.checkStart(h.fromSeq, this.s.prev);
  }

  /** The hash before the first row must be the genesis, the ledger's row, or the anchor. */
  private checkStart(fromSeq: number, prev: Uint8Array): void {
    const seq = fromSeq - 1;
    const known = seq === 0 ? GENESIS_HASH : this.ref.storedHash(seq) ?? (this.ref.anchor?.seq === seq ? this.ref.anchor.hash : this.ref.checkpointHash(seq));
    if (known === undefined) return;
    if (!sameBytes(known, prev)) throw new ExportProblem(seq, `the export does not continue this ledger's chain: the hash before row ${fromSeq} differs`);
    this.s.boundSeq = seq;
  }

  private row(value: Record<string, unknown>): void {
    const h = this.requireHeader();
    const seq = value['seq'];
    if (!isSeq(seq) || seq <= this.s.lastSeq || (h.contiguous && seq !== this.s.lastSeq + 1)) {
      throw new ExportProblem(this.s.lastSeq + 1, `row ${this.s.lastSeq + 1} is missing or out of order in the export`);
    }
    const prev = h.contiguous ? this.s.prev : this.prevFromLedger(seq);
    const computed = recompute(prev, value, seq);
    if (typeof value['hash'] !== 'string' || toHex(computed) !== value['hash']) throw new ExportProblem(seq, `row ${seq} was altered in the export`);
    this.compareWithLedger(seq, computed);
    this.checkCheckpoint(seq, computed, value['checkpoint']);
    this.s.prev = computed;
    this.s.lastSeq = seq;
    this.s.rows += 1;
  }

  private prevFromLedger(seq: number): Uint8Array {
    const prev = seq === 1 ? GENESIS_HASH : this.ref.storedHash(seq - 1) ?? (this.ref.anchor?.seq === seq - 1 ? this.ref.anchor.hash : undefined);
    if (prev === undefined) throw new ExportProblem(seq, `row ${seq - 1} is no longer in the ledger: a filtered export can only be checked against rows still there`);
    return prev;
  }

  private compareWithLedger(seq: number, computed: Uint8Array): void {
    const stored = this.ref.storedHash(seq);
    if (stored !== undefined) {
      if (!sameBytes(stored, computed)) throw new ExportProblem(seq, `row ${seq} in the export differs from row ${seq} in the ledger`);
      this.s.matched += 1;
      this.s.boundSeq = seq;
      return;
    }
    const anchor = this.ref.anchor;
    if (this.ref.hasLedger && (anchor === undefined || seq > anchor.seq)) throw new ExportProblem(seq, `row ${seq} is in the export but not in the ledger`);
    this.s.archived += 1;
    this.s.lastArchivedSeq = seq;
    const bound = anchor?.seq === seq ? anchor.hash : this.ref.checkpointHash(seq);
    if (bound === undefined) return;
    if (!sameBytes(bound, computed)) throw new ExportProblem(seq, `row ${seq} does not match the ledger's signed ${anchor?.seq === seq ? 'retention anchor' : 'checkpoint'}`);
    this.s.boundSeq = seq;
  }

  private checkCheckpoint(seq: number, computed: Uint8Array, checkpoint: unknown): void {
    if (checkpoint === undefined) return;
    const c = checkpoint as { keyId?: unknown; signature?: unknown } | null;
    if (typeof c?.keyId !== 'string' || typeof c.signature !== 'string') throw new ExportProblem(seq, `the checkpoint at row ${seq} is malformed`);
    let valid = false;
    try {
      valid = this.ref.verify(checkpointMessage(seq, toHex(computed)), new Uint8Array(Buffer.from(c.signature, 'base64url')), c.keyId) === true;
    } catch {
      valid = false;
    }
    if (!valid) throw new ExportProblem(seq, `the checkpoint at row ${seq} has an invalid signature`);
    this.s.checkpoints += 1;
    this.s.keyId = c.keyId;
    this.s.boundSeq = seq;
  }
}

function isSeq(v: unknown): v is number {
  return Number.isSafeInteger(v) && (v as number) >= 1;
}

function parseLine(text: string, seq: number): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new ExportProblem(seq, seq === 0 ? 'the first line is not JSON: not a Valetkey JSON Lines export' : `the line after row ${seq - 1} is not JSON`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new ExportProblem(seq, `the line after row ${seq - 1} is not a JSON object`);
  return value as Record<string, unknown>;
}

function recompute(prev: Uint8Array, value: Record<string, unknown>, seq: number): Uint8Array {
  const chained: Record<string, unknown> = {};
  for (const key of CHAINED_KEYS) chained[key] = value[key] === undefined ? null : value[key];
  try {
    return rowHash(prev, chained as unknown as ChainedRow);
  } catch {
    throw new ExportProblem(seq, `row ${seq} was altered in the export`);
  }
}
