/**
 * Every revocation is also an audit row, and the audit chain is signed and (with keychain storage)
 * held to the keychain's high-water mark. A token row put back from an earlier copy of the
 * database carries a genuine MAC of its time and says "not revoked"; the log still says it was.
 * So at the first unlock, a live token the log shows revoked is refused as tampered. The same holds
 * for a token's pause: a sealed tripwire guard put back from before a pause opens fine, but the
 * log's last pause-or-resume row for the token says it is paused.
 */
import type { Database } from '../store/database.js';

export interface RevocationsInLog {
  /** Tokens revoked by id (the person, a canary, the agent itself). */
  readonly tokenIds: ReadonlySet<string>;
  /** When "revoke all" ran: every token created before one of these and live then was revoked. */
  readonly allAt: readonly number[];
}

export function revocationsInLog(db: Database): RevocationsInLog {
  const ids = db
    .prepare<[], string>("SELECT DISTINCT token_id FROM audit WHERE action IN ('token.revoke', 'token.self_revoke') AND outcome = 'ok' AND token_id IS NOT NULL")
    .pluck()
    .all();
  const allAt = db.prepare<[], number>("SELECT ts FROM audit WHERE action = 'token.revoke_all' AND outcome = 'ok'").pluck().all();
  return { tokenIds: new Set(ids), allAt };
}

/** Whether the log says this token was revoked. */
export function revokedPerLog(log: RevocationsInLog, token: { readonly id: string; readonly createdAt: number; readonly expiresAt: number }): boolean {
  return log.tokenIds.has(token.id) || log.allAt.some((ts) => token.createdAt < ts && token.expiresAt > ts);
}

const LAST_PAUSE_OR_RESUME = `SELECT action FROM audit WHERE token_id = ? AND (action IN ('token.pause', 'token.resume')
  OR (action LIKE 'alert.%' AND json_extract(detail, '$.done') = 'paused')) ORDER BY seq DESC LIMIT 1`;

/** Whether the log's last word on this token's pause is "paused". */
export function pausedPerLog(db: Database, tokenId: string): boolean {
  const last = db.prepare<[string], string>(LAST_PAUSE_OR_RESUME).pluck().get(tokenId);
  return last !== undefined && last !== 'token.resume';
}
