/**
 * What every route that releases or uses a secret does per target: approvals for sensitive vaults
 * (after the token's tripwire rules), the allowed audit row, and which target a refusal names.
 * Kept out of the routes so no route imports another.
 */
import { VkError } from '../../shared/errors.js';
import type { ApprovalSetting, TokenAction } from '../../shared/model.js';
import { effectiveApproval } from '../approvals/effective-approval.js';
import { countUse, type Authenticated } from './authenticate.js';
import { atTargetAsync, auditAllowed, NO_TARGET, refusedAt, type AuditTarget } from './endpoint-audit.js';
import type { EndpointRequest } from './endpoint-context.js';
import { auditTargetOf, type ResolveTarget } from './resolve-targets.js';

/**
 * Sensitive vaults: the proof must carry a current server nonce (so it was made just now), then a
 * person allows each access. Bearer tokens have no proof to carry one; the approval still applies.
 * The use is counted after the nonce check (callers authenticate with deferUse), so the client's
 * nonce retry counts once, and before anyone is asked, so a spent token never bothers a person.
 */
export async function approveAll(r: EndpointRequest, auth: Authenticated, targets: readonly ResolveTarget[], reason: string, action: TokenAction = 'read'): Promise<Map<ResolveTarget, string>> {
  // The vault's setting as resolveTarget opened it moments ago in this request (not a second read).
  const gated = targets
    .map((target) => ({ target, setting: effectiveApproval(target.vault.approval, auth.record.approval) }))
    .filter((g) => g.setting.mode !== 'none');
  const first = gated[0];
  // The nonce is asked for because of the first sensitive vault: its refusal row names that target.
  if (first !== undefined && auth.jkt !== null && !auth.nonceFresh) throw refusedAt(auditTargetOf(first.target), new VkError('use_dpop_nonce'));
  countUse(r, auth);
  // The token's tripwire rules (after the nonce retry, so it counts once): alert, ask the person, or pause.
  const inspected = targets.map((t) => ({ vaultId: t.vault.id, entryId: t.entry.id, field: t.field }));
  await r.state.services.tripwires.inspect(auth.record, auth.jkt, r.trail, { via: r.listener.kind, route: r.action }, inspected, action);
  const ids = new Map<ResolveTarget, string>();
  for (const { target, setting } of gated) ids.set(target, await atTargetAsync(auditTargetOf(target), () => approve(r, auth, target, setting, reason, action)));
  return ids;
}

async function approve(r: EndpointRequest, auth: Authenticated, target: ResolveTarget, setting: ApprovalSetting, reason: string, action: TokenAction): Promise<string> {
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

/** The allowed row of one access to a target; callers await it before the value (or its use) leaves. */
export function auditTarget(r: EndpointRequest, auth: Authenticated, t: ResolveTarget, approvalId: string | null, action: 'secret.read' | 'secret.use', detail?: Record<string, unknown>): Promise<unknown> {
  return atTargetAsync(auditTargetOf(t), () => auditAllowed(r, {
    action,
    keyThumbprint: auth.jkt ?? auth.record.jkt,
    vaultId: t.vault.id,
    entryId: t.entry.id,
    field: t.field.slice(0, 200),
    approvalId,
    ...(detail === undefined ? {} : { detail }),
  }));
}

/**
 * Request-wide steps (the token rechecked, the request sent) name the target when the request has
 * just one; with several, no single one is the cause, so the row names none.
 */
export function requestTarget(targets: readonly ResolveTarget[]): AuditTarget {
  const named = new Map(targets.map((t) => [`${t.vault.id}/${t.entry.id}/${t.field}`, auditTargetOf(t)] as const));
  const [only] = named.values();
  return named.size === 1 && only !== undefined ? only : NO_TARGET;
}
