/**
 * `valetkey audit verify`: walks the ledger in seq order, recomputes every chain hash and checks
 * every signed checkpoint, and names the first row that is wrong. Rows are streamed with an
 * iterator (checkpoints joined in), so memory stays flat however long the log is.
 */
import type { Database } from '../store/database.js';
import { VkError } from '../../shared/errors.js';
import type { AuditVerification } from '../../shared/model.js';
import { checkpointMessage, GENESIS_HASH, rowHash, sameBytes, toHex } from './audit-chain.js';
import { AUDIT_COLUMNS, decodeAuditRow, type AuditDbRow } from './audit-row-codec.js';
import { headMessage, readSignedHead, type SignedHead } from './audit-head.js';

export { checkpointMessage } from './audit-chain.js';

/** Checks one checkpoint signature (Ed25519 over checkpointMessage) with the key named keyId. */
export type CheckpointVerifier = (data: Uint8Array, signature: Uint8Array, keyId: string) => boolean;

export interface VerifyAuditOptions {
  /** Start here, trusting the stored hash of row fromSeq - 1 (for incremental checks). */
  readonly fromSeq?: number;
  /** With fromSeq: the trusted hash of row fromSeq - 1 when that row is gone (retention's signed anchor). */
  readonly startHash?: Uint8Array;
}

interface JoinedRow extends AuditDbRow {
  readonly cp_hash: Uint8Array | null;
  readonly cp_key_id: string | null;
  readonly cp_signature: Uint8Array | null;
}

interface Progress {
  prev: Uint8Array;
  expected: number;
  rows: number;
  checkpoints: number;
  /** The last row a valid checkpoint (or the start) vouches for: an undetected rewrite lies after it. */
  vouched: number;
}

interface Problem {
  readonly seq: number;
  readonly text: string;
}

const ROWS_SQL = `SELECT ${AUDIT_COLUMNS.split(', ').map((c) => `a.${c}`).join(', ')},
  c.hash AS cp_hash, c.key_id AS cp_key_id, c.signature AS cp_signature
  FROM audit a LEFT JOIN audit_checkpoints c ON c.seq = a.seq
  WHERE a.seq >= ? ORDER BY a.seq`;

export function verifyAuditChain(
  db: Database,
  verifyCheckpoint: CheckpointVerifier,
  options: VerifyAuditOptions = {},
): AuditVerification {
  const fromSeq = options.fromSeq ?? 1;
  if (!Number.isSafeInteger(fromSeq) || fromSeq < 1) throw new VkError('invalid_request', 'fromSeq must be a whole number of at least 1');
  const start = options.startHash ?? startHash(db, fromSeq);
  const progress: Progress = { prev: start ?? GENESIS_HASH, expected: fromSeq, rows: 0, checkpoints: 0, vouched: fromSeq - 1 };
  const head = readSignedHead(db);
  const done = (problem: Problem | undefined) => report(progress, problem, head);
  if (start === undefined) return done({ seq: fromSeq - 1, text: `row ${fromSeq - 1} is missing` });
  for (const row of db.prepare<[number], JoinedRow>(ROWS_SQL).iterate(fromSeq)) {
    const problem = checkRow(row, progress, verifyCheckpoint) ?? checkAgainstHead(row.seq, progress, head);
    if (problem !== undefined) return done(problem);
  }
  // Checked after the rows, so a bad checkpoint earlier in the log is the one named.
  if (head !== undefined && !safeVerify(verifyCheckpoint, headMessage(head.seq, toHex(head.hash), head.every), head.signature, head.keyId)) {
    return done({ seq: head.seq, text: 'the signed audit head has an invalid signature' });
  }
  return done(truncation(db, progress.expected - 1) ?? headTruncation(db, progress.expected - 1, head));
}

/** Up to the signed head, a checkpoint at every `every` rows is required, and the head's hash must match. */
function checkAgainstHead(seq: number, progress: Progress, head: SignedHead | undefined): Problem | undefined {
  if (head === undefined || seq > head.seq) return undefined;
  const from = progress.vouched + 1;
  if (seq % head.every === 0 && progress.vouched !== seq) {
    return { seq: from, text: `the signed checkpoint at row ${seq} is missing: a row from ${from} to ${seq} may have been rewritten` };
  }
  if (seq === head.seq && !sameBytes(progress.prev, head.hash)) {
    return { seq: from, text: `the signed head at row ${seq} does not match the chain: a row from ${from} to ${seq} was rewritten` };
  }
  return undefined;
}

/** Fewer rows than the signed head counts, or checkpoints without any head: the end was cut off. */
function headTruncation(db: Database, lastSeq: number, head: SignedHead | undefined): Problem | undefined {
  if (head !== undefined) {
    return lastSeq < head.seq ? { seq: lastSeq + 1, text: `rows ${lastSeq + 1} to ${head.seq} are missing: the signed head shows the log had ${head.seq} rows` } : undefined;
  }
  // Set-up signs a head and every unlock signs another, so an initialised log without one lost it.
  const checkpoints = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM audit_checkpoints').get()?.n ?? 0;
  const initialised = db.prepare("SELECT 1 FROM settings WHERE key = 'install_id'").get() !== undefined;
  const lost = checkpoints > 0 || (initialised && lastSeq > 0);
  return lost ? { seq: lastSeq, text: 'the signed audit head is missing: where the log ended cannot be proven' } : undefined;
}

function startHash(db: Database, fromSeq: number): Uint8Array | undefined {
  if (fromSeq === 1) return GENESIS_HASH;
  const row = db.prepare<[number], { hash: Uint8Array }>('SELECT hash FROM audit WHERE seq = ?').get(fromSeq - 1);
  return row === undefined ? undefined : new Uint8Array(row.hash);
}

function checkRow(row: JoinedRow, progress: Progress, verifyCheckpoint: CheckpointVerifier): Problem | undefined {
  const seq = progress.expected;
  if (row.seq !== seq) return { seq, text: `row ${seq} is missing` };
  const hash = recompute(progress.prev, row);
  if (hash === undefined || !sameBytes(hash, row.hash)) return { seq, text: `row ${seq} was altered` };
  progress.prev = hash;
  progress.expected = seq + 1;
  progress.rows += 1;
  if (row.cp_hash === null || row.cp_key_id === null || row.cp_signature === null) return undefined;
  if (!sameBytes(row.cp_hash, hash)) {
    return { seq, text: `the signed checkpoint at row ${seq} does not match the chain: rows up to ${seq} were rewritten` };
  }
  if (!safeVerify(verifyCheckpoint, checkpointMessage(seq, toHex(hash)), row.cp_signature, row.cp_key_id)) {
    return { seq, text: `the checkpoint at row ${seq} has an invalid signature` };
  }
  progress.checkpoints += 1;
  progress.vouched = seq;
  return undefined;
}

/** undefined when the row cannot even be read back (e.g. its detail is no longer JSON): altered. */
function recompute(prev: Uint8Array, row: AuditDbRow): Uint8Array | undefined {
  try {
    const { hash: _stored, ...chained } = decodeAuditRow(row, true);
    return rowHash(prev, chained);
  } catch {
    return undefined;
  }
}

function safeVerify(verify: CheckpointVerifier, data: Uint8Array, signature: Uint8Array, keyId: string): boolean {
  try {
    return verify(data, new Uint8Array(signature), keyId) === true;
  } catch {
    return false;
  }
}

/** A checkpoint beyond the last row proves rows were cut off the end. */
function truncation(db: Database, lastSeq: number): Problem | undefined {
  const row = db.prepare<[number], { seq: number | null }>('SELECT min(seq) AS seq FROM audit_checkpoints WHERE seq > ?').get(lastSeq);
  if (row?.seq === null || row?.seq === undefined) return undefined;
  return { seq: lastSeq + 1, text: `rows from ${lastSeq + 1} on are missing: a signed checkpoint at row ${row.seq} shows the log was cut short` };
}

function report(progress: Progress, problem: Problem | undefined, head: SignedHead | undefined): AuditVerification {
  const lastSeq = progress.expected - 1;
  const signedThrough = Math.min(head?.seq ?? 0, lastSeq);
  const base = {
    rowsChecked: progress.rows,
    checkpointsChecked: progress.checkpoints,
    lastSeq,
    signedThrough,
    ...(lastSeq > signedThrough ? { unsignedTail: { from: Math.max(signedThrough + 1, lastSeq - progress.rows + 1), to: lastSeq } } : {}),
  };
  return problem === undefined ? { ok: true, ...base } : { ok: false, ...base, firstBadSeq: problem.seq, problem: problem.text };
}
