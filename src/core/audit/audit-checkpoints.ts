/**
 * Signed checkpoints of the audit chain. Every `checkpointEvery` rows the engine signs the chain
 * hash at that row with its Ed25519 key, so a chain rewritten from some row onwards (every hash
 * recomputed) still fails verification at the next checkpoint.
 */
import type { Database } from '../store/database.js';
import { checkpointMessage, toHex } from './audit-chain.js';

export interface CheckpointSigner {
  /** Names the key in the checkpoint row, so the verifier knows which public key to use. */
  readonly keyId: string;
  sign(data: Uint8Array): Uint8Array;
}

export interface CheckpointRow {
  readonly seq: number;
  readonly hash: Uint8Array;
  readonly ts: number;
  readonly keyId: string;
  readonly signature: Uint8Array;
}

export interface DueCheckpoint {
  readonly seq: number;
  readonly hash: Uint8Array;
}

// A checkpoint already there (written before a crash, then recomputed as pending) is kept as is.
export const INSERT_CHECKPOINT_SQL =
  'INSERT INTO audit_checkpoints (seq, hash, ts, key_id, signature) VALUES (?, ?, ?, ?, ?) ON CONFLICT(seq) DO NOTHING';

/**
 * Signs what it can. With no signer (engine locked in key-file mode) or a signer that fails,
 * the seqs come back as `unsigned`, to be signed later: a missing key must not stop the audit log.
 */
export function signCheckpoints(
  signer: CheckpointSigner | undefined,
  due: readonly DueCheckpoint[],
  ts: number,
): { readonly signed: readonly CheckpointRow[]; readonly unsigned: readonly number[] } {
  const signed: CheckpointRow[] = [];
  const unsigned: number[] = [];
  for (const { seq, hash } of due) {
    const signature = signer === undefined ? undefined : trySign(signer, checkpointMessage(seq, toHex(hash)));
    if (signer === undefined || signature === undefined) unsigned.push(seq);
    else signed.push({ seq, hash, ts, keyId: signer.keyId, signature });
  }
  return { signed, unsigned };
}

function trySign(signer: CheckpointSigner, message: Uint8Array): Uint8Array | undefined {
  try {
    return signer.sign(message);
  } catch {
    return undefined;
  }
}

/** Checkpoint seqs due after the last one written, e.g. rows appended while the engine was locked. */
export function unsignedCheckpointSeqs(db: Database, every: number, headSeq: number): number[] {
  const row = db.prepare<[], { last: number | null }>('SELECT max(seq) AS last FROM audit_checkpoints').get();
  const lastSigned = row?.last ?? 0;
  const seqs: number[] = [];
  for (let seq = (Math.floor(lastSigned / every) + 1) * every; seq <= headSeq; seq += every) seqs.push(seq);
  return seqs;
}

/** The stored chain hash at each pending seq; a seq with no row (tampered table) is skipped. */
export function dueFromStore(db: Database, seqs: readonly number[]): DueCheckpoint[] {
  // Every commit asks, and there is almost never one due: preparing the statement costs more than the commit's other work.
  if (seqs.length === 0) return [];
  const stmt = db.prepare<[number], { hash: Uint8Array }>('SELECT hash FROM audit WHERE seq = ?');
  const due: DueCheckpoint[] = [];
  for (const seq of seqs) {
    const row = stmt.get(seq);
    if (row !== undefined) due.push({ seq, hash: new Uint8Array(row.hash) });
  }
  return due;
}
