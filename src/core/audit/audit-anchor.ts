/**
 * The retention anchor: once rows up to seq N are archived and deleted, the chain hash of row N,
 * signed by the engine key exactly like a checkpoint, is where verification starts. Forging it
 * needs the engine key; deleting it leaves the verifier starting at row 1, which is then missing.
 */
import type { Database } from '../store/database.js';
import type { AuditVerification } from '../../shared/model.js';
import { checkpointMessage, toHex } from './audit-chain.js';
import { verifyAuditChain, type CheckpointVerifier } from './audit-verifier.js';

export interface AuditAnchor {
  readonly seq: number;
  readonly hash: Uint8Array;
  readonly ts: number;
  readonly keyId: string;
  readonly signature: Uint8Array;
  readonly archiveId: number | null;
}

interface AnchorDbRow {
  readonly seq: number;
  readonly hash: Uint8Array;
  readonly ts: number;
  readonly key_id: string;
  readonly signature: Uint8Array;
  readonly archive_id: number | null;
}

/** A read-only CLI may open a database an older engine has not migrated yet: no table, no anchor. */
export function hasTable(db: Database, name: string): boolean {
  return db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name) !== undefined;
}

export function readAnchor(db: Database): AuditAnchor | undefined {
  if (!hasTable(db, 'audit_anchor')) return undefined;
  const r = db.prepare<[], AnchorDbRow>('SELECT seq, hash, ts, key_id, signature, archive_id FROM audit_anchor WHERE id = 1').get();
  if (r === undefined) return undefined;
  return { seq: r.seq, hash: new Uint8Array(r.hash), ts: r.ts, keyId: r.key_id, signature: new Uint8Array(r.signature), archiveId: r.archive_id };
}

export function anchorMessage(seq: number, hash: Uint8Array): Uint8Array {
  return checkpointMessage(seq, toHex(hash));
}

export function anchorIsSigned(anchor: AuditAnchor, verify: CheckpointVerifier): boolean {
  try {
    return verify(anchorMessage(anchor.seq, anchor.hash), anchor.signature, anchor.keyId) === true;
  } catch {
    return false;
  }
}

/** `valetkey audit verify`: the whole chain, or, after retention, from the signed anchor on. */
export function verifyAuditFromAnchor(db: Database, verify: CheckpointVerifier): AuditVerification {
  const anchor = readAnchor(db);
  if (anchor === undefined) return verifyAuditChain(db, verify);
  if (!anchorIsSigned(anchor, verify)) {
    return {
      ok: false, rowsChecked: 0, checkpointsChecked: 0, lastSeq: anchor.seq, signedThrough: 0, firstBadSeq: anchor.seq, anchorSeq: anchor.seq,
      problem: `the retention anchor at row ${anchor.seq} has an invalid signature`,
    };
  }
  return { ...verifyAuditChain(db, verify, { fromSeq: anchor.seq + 1, startHash: anchor.hash }), anchorSeq: anchor.seq };
}
