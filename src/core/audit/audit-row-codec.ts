/** How an AuditRow maps to and from the `audit` table (snake_case columns, hash as a BLOB). */
import type { ActorKind, AuditOutcome, AuditRow } from '../../shared/model.js';
import { toHex } from './audit-chain.js';

/** A row as better-sqlite3 returns it from AUDIT_COLUMNS. */
export interface AuditDbRow {
  readonly seq: number;
  readonly ts: number;
  readonly actor: string;
  readonly agent: string | null;
  readonly token_id: string | null;
  readonly key_thumbprint: string | null;
  readonly action: string;
  readonly vault_id: string | null;
  readonly entry_id: string | null;
  readonly field: string | null;
  readonly reason: string | null;
  readonly outcome: string;
  readonly error_code: string | null;
  readonly approval_id: string | null;
  readonly detail: string | null;
  readonly hash: Uint8Array;
}

export const AUDIT_COLUMNS =
  'seq, ts, actor, agent, token_id, key_thumbprint, action, vault_id, entry_id, field, reason, outcome, error_code, approval_id, detail, hash';

export const INSERT_AUDIT_SQL = `INSERT INTO audit (${AUDIT_COLUMNS}) VALUES (${Array(16).fill('?').join(', ')})`;

/** Positional values for INSERT_AUDIT_SQL. `detailJson` is the canonical JSON already computed. */
export function auditInsertValues(row: AuditRow, detailJson: string | null, hash: Uint8Array): readonly unknown[] {
  return [
    row.seq, row.ts, row.actor, row.agent, row.tokenId, row.keyThumbprint, row.action, row.vaultId,
    row.entryId, row.field, row.reason, row.outcome, row.errorCode, row.approvalId, detailJson, hash,
  ];
}

/**
 * `strict` (the verifier) throws on a detail that is not a JSON object, because a tampered row
 * must not read as valid; readers for display get `null` instead so one bad row cannot break a page.
 */
export function decodeAuditRow(r: AuditDbRow, strict = false): AuditRow {
  return {
    seq: r.seq,
    ts: r.ts,
    actor: r.actor as ActorKind,
    agent: r.agent,
    tokenId: r.token_id,
    keyThumbprint: r.key_thumbprint,
    action: r.action,
    vaultId: r.vault_id,
    entryId: r.entry_id,
    field: r.field,
    reason: r.reason,
    outcome: r.outcome as AuditOutcome,
    errorCode: r.error_code,
    approvalId: r.approval_id,
    detail: decodeDetail(r.detail, strict),
    hash: toHex(r.hash),
  };
}

function decodeDetail(text: string | null, strict: boolean): Readonly<Record<string, unknown>> | null {
  if (text === null) return null;
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  } catch {
    // fall through: unreadable detail
  }
  if (strict) throw new TypeError('audit detail is not a JSON object');
  return null;
}
