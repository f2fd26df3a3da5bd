/**
 * Every revocation is also an audit row, and the audit chain is signed and (with keychain storage)
 * held to the keychain's high-water mark. A token row put back from an earlier copy of the
 * database carries a genuine MAC of its time and says "not revoked"; the log still says it was.
 * So at the first unlock, a live token the log shows revoked is refused as tampered. The same holds
 * for a token's pause: a sealed tripwire guard put back from before a pause opens fine, but the
 * log's last pause-or-resume row for the token says it is paused.
 */
import type { AuditRows } from '../audit/audit-rows.js';

export interface RevocationsInLog {
  /** Tokens revoked by id (the person, a canary, the agent itself). */
  readonly tokenIds: ReadonlySet<string>;
  /** When "revoke all" ran: every token created before one of these and live then was revoked. */
  readonly allAt: readonly number[];
}

export function revocationsInLog(log: Pick<AuditRows, 'tokenRevocations'>): RevocationsInLog {
  const { tokenIds, allAt } = log.tokenRevocations();
  return { tokenIds: new Set(tokenIds), allAt };
}

/** Whether the log says this token was revoked. */
export function revokedPerLog(log: RevocationsInLog, token: { readonly id: string; readonly createdAt: number; readonly expiresAt: number }): boolean {
  return log.tokenIds.has(token.id) || log.allAt.some((ts) => token.createdAt < ts && token.expiresAt > ts);
}

/** Whether the log's last word on this token's pause is "paused". */
export function pausedPerLog(log: Pick<AuditRows, 'lastPauseOrResume'>, tokenId: string): boolean {
  const last = log.lastPauseOrResume(tokenId);
  return last !== undefined && last !== 'token.resume';
}
