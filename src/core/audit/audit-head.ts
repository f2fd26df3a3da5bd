/**
 * The signed head of the audit chain: the last row's number and hash, signed with the engine's key
 * at every checkpoint and at clean shutdown. Checkpoints prove the rows they cover; only the head
 * proves where the log ended, so deleting the last rows (and their checkpoints) is caught too.
 * Signed bytes: UTF-8 of "valetkey-audit-head-v1\n" + seq + "\n" + hex(h_seq) + "\n" + every,
 * where `every` is the checkpoint interval the verifier then requires up to seq.
 */
import type { Database } from '../store/database.js';
import type { CheckpointSigner } from './audit-checkpoints.js';
import { sameBytes, toHex } from './audit-chain.js';

/**
 * Audited when rows get their MACs: at set-up, or at the first unlock after the upgrade to schema
 * 4. From then on every unlock signs a head, so a log that has this row and no head lost its head.
 */
export const ROWS_SEALED_ACTION = 'integrity.rows_sealed';

export interface SignedHead {
  readonly seq: number;
  readonly hash: Uint8Array;
  readonly every: number;
  readonly ts: number;
  readonly keyId: string;
  readonly signature: Uint8Array;
}

export function headMessage(seq: number, hashHex: string, every: number): Uint8Array {
  return new Uint8Array(Buffer.from(`valetkey-audit-head-v1\n${seq}\n${hashHex}\n${every}`, 'utf8'));
}

// Never moves backwards: a late writer with an older head leaves the newer one in place.
const UPSERT_HEAD_SQL = `INSERT INTO audit_head (id, seq, hash, every, ts, key_id, signature) VALUES (1, ?, ?, ?, ?, ?, ?)
  ON CONFLICT(id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash, every = excluded.every, ts = excluded.ts,
  key_id = excluded.key_id, signature = excluded.signature WHERE excluded.seq >= audit_head.seq`;

/** Signs and stores the head; a failure (disk full, signer gone) leaves the older head, which verify then reports as such. */
export function writeSignedHead(db: Database, signer: CheckpointSigner, head: { readonly seq: number; readonly hash: Uint8Array; readonly every: number }, ts: number): boolean {
  if (head.seq === 0) return false;
  try {
    const signature = signer.sign(headMessage(head.seq, toHex(head.hash), head.every));
    db.prepare(UPSERT_HEAD_SQL).run(head.seq, head.hash, head.every, ts, signer.keyId, signature);
    return true;
  } catch {
    return false;
  }
}

export function readSignedHead(db: Database): SignedHead | undefined {
  const row = db
    .prepare<[], { seq: number; hash: Uint8Array; every: number; ts: number; key_id: string; signature: Uint8Array }>(
      'SELECT seq, hash, every, ts, key_id, signature FROM audit_head WHERE id = 1',
    )
    .get();
  if (row === undefined) return undefined;
  return { seq: row.seq, hash: new Uint8Array(row.hash), every: row.every, ts: row.ts, keyId: row.key_id, signature: new Uint8Array(row.signature) };
}

/** Whether the table still ends where the signed head says, or beyond it (and has a head if it should). */
export function headMatchesTable(db: Database, head: SignedHead | undefined): boolean {
  if (head === undefined) return db.prepare('SELECT 1 FROM audit WHERE action = ? LIMIT 1').get(ROWS_SEALED_ACTION) === undefined;
  return tableReaches(db, head.seq, head.hash);
}

/**
 * Whether the table holds row `seq` with this hash, or went past it. Rows retention archived (at or
 * before its signed anchor) are gone by design: the anchor's hash stands in for them.
 */
export function tableReaches(db: Database, seq: number, hash: Uint8Array): boolean {
  const row = db.prepare<[number], { hash: Uint8Array }>('SELECT hash FROM audit WHERE seq = ?').get(seq);
  if (row !== undefined) return sameBytes(new Uint8Array(row.hash), hash);
  const anchor = db.prepare<[], { seq: number; hash: Uint8Array }>('SELECT seq, hash FROM audit_anchor WHERE id = 1').get();
  if (anchor === undefined || anchor.seq < seq) return false;
  return anchor.seq > seq || sameBytes(new Uint8Array(anchor.hash), hash);
}
