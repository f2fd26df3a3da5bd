/**
 * POST /v1/resolve: `{ refs: ["vk://vault/entry/field", ...], reason }` → `{ values: { ref: value } }`.
 * All or nothing. Order (docs/security.md, docs/design.md §4, §6): authenticate; reason (before anything is
 * decrypted); refs and scope; for sensitive vaults a fresh server nonce, then a person's approval;
 * the values are read in memory; the audit rows are COMMITTED; only then does the answer go out.
 * If the audit write fails the request fails with audit_unavailable and nothing is released.
 */
import { authenticate, recheck, type Authenticated } from './authenticate.js';
import { nowMs, type EndpointRequest } from './endpoint-context.js';
import { sendOk } from './endpoint-response.js';
import { checkReason, offeredReason } from './oauth-params.js';
import type { RequestInput } from './request-body.js';
import { atTarget, atTargetAsync } from './endpoint-audit.js';
import { auditTargetOf, readTarget, resolveTarget, type ResolveTarget } from './resolve-targets.js';
import { approveAll, auditTarget, requestTarget } from './target-access.js';
import { parseVkRef } from './vk-ref.js';
import { parseBody } from './wire-body.js';

export async function resolveRoute(r: EndpointRequest, input: RequestInput): Promise<void> {
  r.trail.offeredReason = offeredReason(input.reason);
  const auth = await authenticate(r, { deferUse: true });
  const reason = checkReason(input.reason);
  r.trail.reason = reason;
  const { refs: texts } = await parseBody('resolve', input);
  const refs = [...new Set(texts)].map(parseVkRef);
  const targets = refs.map((ref) => resolveTarget(r, auth.record.scope, ref));
  const values = await atTargetAsync(requestTarget(targets), () => release(r, auth, targets, reason));
  sendOk(r, { values: Object.fromEntries(values) });
}

/** Approvals, the values read, their rows committed: a refusal names the target it concerns. */
async function release(r: EndpointRequest, auth: Authenticated, targets: readonly ResolveTarget[], reason: string): Promise<(readonly [string, string])[]> {
  const approvalIds = await approveAll(r, auth, targets, reason);
  recheck(r, auth);
  const now = nowMs(r);
  const values = targets.map((t) => [t.ref.text, atTarget(auditTargetOf(t), () => readTarget(t, now))] as const);
  await Promise.all(targets.map((t) => auditRead(r, auth, t, approvalIds.get(t) ?? null)));
  return values;
}

function auditRead(r: EndpointRequest, auth: Authenticated, t: ResolveTarget, approvalId: string | null): Promise<unknown> {
  return auditTarget(r, auth, t, approvalId, 'secret.read', t.ref.attribute === 'otp' ? { attribute: 'otp' } : undefined);
}
