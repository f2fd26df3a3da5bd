/**
 * The plain rules of the approval broker: which standing approval covers a request, what a
 * person's decision grants, and what a prompt shows. No I/O here.
 */
import { VkError } from '../../shared/errors.js';
import type { ApprovalDecision, ApprovalInfo } from '../../shared/model.js';
import type { ApprovalRequest } from '../agent/agent-services.js';
import { parseSetting, type ApprovalRow, type Decided } from './approval-store.js';
import { MAX_APPROVAL_MINUTES } from '../../shared/admin-schemas/limits.js';

const MINUTE_MS = 60_000;
const DECISIONS: readonly ApprovalDecision[] = ['allow_once', 'allow_for', 'deny'];

/** Names for the prompt; null when the engine is locked or the vault or entry is gone. */
export type Describe = (vaultId: string, entryId: string | null) => { readonly vaultName: string | null; readonly entryTitle: string | null };

/**
 * Whether an allowed, still-valid row (already matched on token, key, vault and action) covers
 * this request. A "for N minutes" grant covers the same entry. A grant made while the vault was
 * once_per_token covers the whole vault, but only while the request is itself once_per_token:
 * raising a vault to every_access stops those vault-wide grants from counting.
 */
export function covers(row: ApprovalRow, request: ApprovalRequest): boolean {
  const sameEntry = row.entry_id === request.entryId;
  if (request.setting.mode === 'every_access') return sameEntry && row.decision === 'allow_for';
  if (request.setting.mode !== 'once_per_token') return false;
  return (sameEntry && row.decision === 'allow_for') || parseSetting(row.setting).mode === 'once_per_token';
}

/** Checks a decision from the admin API; `minutes` only (and always) with allow_for. */
export function checkDecision(decision: unknown, minutes: unknown): asserts decision is ApprovalDecision {
  if (!DECISIONS.includes(decision as ApprovalDecision)) throw new VkError('invalid_request', 'decision must be allow_once, allow_for or deny');
  if (decision !== 'allow_for') {
    if (minutes !== undefined) throw new VkError('invalid_request', 'minutes is only for allow_for');
    return;
  }
  if (typeof minutes !== 'number' || !Number.isInteger(minutes) || minutes < 1 || minutes > MAX_APPROVAL_MINUTES) {
    throw new VkError('invalid_request', `allow_for needs minutes, a whole number from 1 to ${MAX_APPROVAL_MINUTES}`);
  }
}

/**
 * What a decision grants. allow_once is single use (no valid_until): only the waiting request
 * gets it. Exception: in a once_per_token vault one approval is what the setting asks for, so
 * allow_once opens the vault to that token and key for the vault's N minutes.
 */
export function decisionOutcome(row: ApprovalRow, decision: ApprovalDecision, minutes: number | undefined, now: number): Decided {
  switch (decision) {
    case 'deny':
      return { status: 'denied', decision, minutes: null, validUntil: null };
    case 'allow_for': {
      const m = minutes ?? 0;
      return { status: 'allowed', decision, minutes: m, validUntil: now + m * MINUTE_MS };
    }
    case 'allow_once': {
      const setting = parseSetting(row.setting);
      const validUntil = setting.mode === 'once_per_token' && setting.minutes !== undefined ? now + setting.minutes * MINUTE_MS : null;
      return { status: 'allowed', decision, minutes: null, validUntil };
    }
  }
}

export function toApprovalInfo(row: ApprovalRow, describe: Describe): ApprovalInfo {
  const names = safeDescribe(describe, row.vault_id, row.entry_id);
  return {
    id: row.id,
    tokenId: row.token_id,
    tokenName: row.token_name,
    tokenOrigin: row.token_origin,
    agent: row.agent,
    keyThumbprint: row.jkt,
    vaultId: row.vault_id,
    vaultName: names.vaultName,
    entryId: row.entry_id,
    entryTitle: names.entryTitle,
    field: row.field,
    action: row.action,
    reason: row.reason,
    status: row.status,
    decision: row.decision,
    minutes: row.minutes,
    createdAt: iso(row.created_at),
    expiresAt: iso(row.expires_at),
    decidedAt: row.decided_at === null ? null : iso(row.decided_at),
  };
}

function safeDescribe(describe: Describe, vaultId: string, entryId: string | null): ReturnType<Describe> {
  try {
    return describe(vaultId, entryId);
  } catch {
    return { vaultName: null, entryTitle: null }; // locked, or the vault or entry is gone
  }
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
