/**
 * POST /v1/resolve: `{ refs: ["vk://vault/entry/field", ...], reason }` → `{ values: { ref: value } }`.
 * All or nothing. Order (docs/security.md, docs/design.md §4, §6): authenticate; reason (before anything is
 * decrypted); refs and scope; for sensitive vaults a fresh server nonce, then a person's approval;
 * the values are read in memory; the audit rows are COMMITTED; only then does the answer go out.
 * If the audit write fails the request fails with audit_unavailable and nothing is released.
 */
import { VkError } from '../../shared/errors.js';
import type { ApprovalSetting, TokenAction } from '../../shared/model.js';
import { authenticate, countUse, recheck, type Authenticated } from './authenticate.js';
import { effectiveApproval } from '../approvals/effective-approval.js';
import { auditAllowed } from './endpoint-audit.js';
import { nowMs, type EndpointRequest } from './endpoint-context.js';
import { sendOk } from './endpoint-response.js';
import { checkReason, offeredReason } from './oauth-params.js';
import type { RequestInput } from './request-body.js';
import { readTarget, resolveTarget, type ResolveTarget } from './resolve-targets.js';
import { parseVkRef, type VkRef } from './vk-ref.js';

export const MAX_REFS = 50;

export async function resolveRoute(r: EndpointRequest, input: RequestInput): Promise<void> {
  r.trail.offeredReason = offeredReason(input.reason);
  const auth = await authenticate(r, { deferUse: true });
  const reason = checkReason(input.reason);
  r.trail.reason = reason;
  const refs = parseRefs(input.refs);
  const targets = refs.map((ref) => resolveTarget(r, auth.record.scope, ref));
  const approvalIds = await approveAll(r, auth, targets, reason);
  recheck(r, auth);
  const now = nowMs(r);
  const values = targets.map((t) => {
    setTrail(r, t);
    return [t.ref.text, readTarget(t, now)] as const;
  });
  await Promise.all(targets.map((t) => auditRead(r, auth, t, approvalIds.get(t) ?? null)));
  sendOk(r, { values: Object.fromEntries(values) });
}

function parseRefs(value: unknown): VkRef[] {
  if (!Array.isArray(value) || value.length < 1 || value.length > MAX_REFS) {
    throw new VkError('invalid_request', `refs must be an array of 1 to ${MAX_REFS} vk:// references`);
  }
  const unique = [...new Set(value.map((v) => (typeof v === 'string' ? v : undefined)))];
  return unique.map(parseVkRef);
}

/**
 * Sensitive vaults: the proof must carry a current server nonce (so it was made just now), then a
 * person allows each access. Bearer tokens have no proof to carry one; the approval still applies.
 * The use is counted after the nonce check (callers authenticate with deferUse), so the client's
 * nonce retry counts once, and before anyone is asked, so a spent token never bothers a person.
 */
export async function approveAll(r: EndpointRequest, auth: Authenticated, targets: readonly ResolveTarget[], reason: string, action: TokenAction = 'read'): Promise<Map<ResolveTarget, string>> {
  const gated = targets
    .map((target) => ({ target, setting: effectiveApproval(r.state.services.vaultApproval(target.vault.id), auth.record.approval) }))
    .filter((g) => g.setting.mode !== 'none');
  if (gated.length > 0 && auth.jkt !== null && !auth.nonceFresh) throw new VkError('use_dpop_nonce');
  countUse(r, auth);
  // The token's tripwire rules (after the nonce retry, so it counts once): alert, ask the person, or pause.
  const inspected = targets.map((t) => ({ vaultId: t.vault.id, entryId: t.entry.id, field: t.field }));
  await r.state.services.tripwires.inspect(auth.record, auth.jkt, r.trail, { via: r.listener.kind, route: r.action }, inspected, action);
  const ids = new Map<ResolveTarget, string>();
  for (const { target, setting } of gated) ids.set(target, await approve(r, auth, target, setting, reason, action));
  return ids;
}

async function approve(r: EndpointRequest, auth: Authenticated, target: ResolveTarget, setting: ApprovalSetting, reason: string, action: TokenAction): Promise<string> {
  setTrail(r, target);
  const { approvalId } = await r.state.services.approvals.await({
    token: auth.record,
    jkt: auth.jkt,
    vaultId: target.vault.id,
    entryId: target.entry.id,
    field: target.field,
    action,
    reason,
    setting,
  });
  return approvalId;
}

function auditRead(r: EndpointRequest, auth: Authenticated, t: ResolveTarget, approvalId: string | null): Promise<unknown> {
  return auditTarget(r, auth, t, approvalId, 'secret.read', t.ref.attribute === 'otp' ? { attribute: 'otp' } : undefined);
}

/** The allowed row of one access to a target; callers await it before the value (or its use) leaves. */
export function auditTarget(r: EndpointRequest, auth: Authenticated, t: ResolveTarget, approvalId: string | null, action: 'secret.read' | 'secret.use', detail?: Record<string, unknown>): Promise<unknown> {
  return auditAllowed(r, {
    action,
    keyThumbprint: auth.jkt ?? auth.record.jkt,
    vaultId: t.vault.id,
    entryId: t.entry.id,
    field: t.field.slice(0, 200),
    approvalId,
    ...(detail === undefined ? {} : { detail }),
  });
}

export function setTrail(r: EndpointRequest, t: ResolveTarget): void {
  r.trail.vaultId = t.vault.id;
  r.trail.entryId = t.entry.id;
  r.trail.field = t.field;
}
