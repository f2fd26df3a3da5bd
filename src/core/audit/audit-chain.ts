/**
 * The audit hash chain (docs/design.md §6, docs/security.md "Audit"): h_n = SHA-256(h_{n-1} ‖ canonical row n).
 *
 * Exact form, so an export can be checked without Valetkey:
 *  - h_0 is 32 zero bytes (GENESIS_HASH); h_{n-1} enters the hash as its 32 raw bytes.
 *  - "canonical row n" is the UTF-8 of canonicalJson (see canonical-json.ts: keys sorted, no
 *    whitespace, JSON.stringify for strings and numbers) of an object with exactly these 15 keys:
 *      seq, ts, actor, agent, tokenId, keyThumbprint, action, vaultId, entryId, field, reason,
 *      outcome, errorCode, approvalId, detail
 *    seq is the row number (1, 2, ...), ts is milliseconds since the epoch (an integer), an absent
 *    value is written as null (never left out), and detail is null or the row's JSON object.
 *    Example: {"action":"secret.read","actor":"agent","agent":"ci",...,"seq":1,...,"ts":1700000000000,"vaultId":"v1"}
 *  - The stored `hash` of row n is h_n, shown as 64 lower-case hex digits.
 *  - A checkpoint at row n is an Ed25519 signature over the UTF-8 of
 *      "valetkey-audit-checkpoint-v1\n" + n (decimal) + "\n" + hex(h_n)
 */
import { hash } from 'node:crypto';
import type { AuditRow } from '../../shared/model.js';
import { canonicalJson } from './canonical-json.js';

export const HASH_BYTES = 32;

/** h_0. Never written to; rowHash only reads it. */
export const GENESIS_HASH: Uint8Array = new Uint8Array(HASH_BYTES);

export type ChainedRow = Omit<AuditRow, 'hash'>;

/** The fixed 15 fields of a row that the chain covers (also what exports and sinks send, plus the hash). */
export function chainedFields(row: ChainedRow): Record<string, unknown> {
  return {
    seq: row.seq,
    ts: row.ts,
    actor: row.actor,
    agent: row.agent,
    tokenId: row.tokenId,
    keyThumbprint: row.keyThumbprint,
    action: row.action,
    vaultId: row.vaultId,
    entryId: row.entryId,
    field: row.field,
    reason: row.reason,
    outcome: row.outcome,
    errorCode: row.errorCode,
    approvalId: row.approvalId,
    detail: row.detail,
  };
}

/** chainedFields' keys in canonical order (sorted by UTF-16 code units); none needs escaping. */
const SORTED_KEYS = [
  'action', 'actor', 'agent', 'approvalId', 'detail', 'entryId', 'errorCode', 'field',
  'keyThumbprint', 'outcome', 'reason', 'seq', 'tokenId', 'ts', 'vaultId',
] as const;

/**
 * The string hashed for a row: the fixed 15-key object above, in canonical JSON. The keys are
 * known, so they are not sorted per row; the output is canonicalJson's, byte for byte.
 */
export function canonicalRow(row: ChainedRow): string {
  const fields = chainedFields(row);
  const parts: string[] = [];
  for (const key of SORTED_KEYS) {
    const value = fields[key];
    if (value === undefined) continue;
    parts.push(`"${key}":${typeof value === 'string' ? JSON.stringify(value) : canonicalJson(value)}`);
  }
  return `{${parts.join(',')}}`;
}

export function rowHash(prevHash: Uint8Array, row: ChainedRow): Uint8Array {
  if (prevHash.length !== HASH_BYTES) throw new RangeError('rowHash: the previous hash must be 32 bytes');
  // One-shot over h_{n-1} ‖ row: cheaper than a Hash object with two updates, same bytes.
  const input = Buffer.concat([prevHash, Buffer.from(canonicalRow(row), 'utf8')]);
  return new Uint8Array(hash('sha256', input, 'buffer'));
}

/** The bytes a checkpoint signs; the ledger signs them and the verifier checks them. */
export function checkpointMessage(seq: number, hashHex: string): Uint8Array {
  return new Uint8Array(Buffer.from(`valetkey-audit-checkpoint-v1\n${seq}\n${hashHex}`, 'utf8'));
}

export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && Buffer.compare(a, b) === 0;
}
