/**
 * POST /v1/fetch (docs/design.md §5, "use without exposure"): `{ request: { method, url, headers?, body? },
 * reason }` with `{{vk://vault/entry/field}}` placeholders. The engine fills them in, sends the
 * request, and answers with the target's response, every substituted value redacted.
 *
 * Order: authenticate; reason; parse the request; each reference against the scope (`use` or
 * `read`); the destination against the allowed hosts of EVERY entry named (before any value is
 * read and before any network I/O, so a refusal sends nothing anywhere); approvals, as for
 * resolve; values read and filled in; the `secret.use` rows COMMITTED; only then is the request sent.
 */
import { VkError } from '../../shared/errors.js';
import type { FetchAnswer } from '../../shared/model.js';
import { fillRequest, parseFetchRequest, type FetchTemplate } from '../fetch/fetch-request.js';
import { redactAnswer, redactionsFor } from '../fetch/fetch-response.js';
import { checkDestination } from '../fetch/host-policy.js';
import { sendUpstream } from '../fetch/upstream.js';
import { authenticate, recheck, type Authenticated } from './authenticate.js';
import { auditAllowed } from './endpoint-audit.js';
import { nowMs, type EndpointRequest } from './endpoint-context.js';
import { sendOk } from './endpoint-response.js';
import { checkReason, offeredReason } from './oauth-params.js';
import type { RequestInput } from './request-body.js';
import { approveAll, MAX_REFS, setTrail } from './resolve-route.js';
import { readTarget, resolveTarget, type ResolveTarget } from './resolve-targets.js';
import { parseVkRef } from './vk-ref.js';

export async function fetchRoute(r: EndpointRequest, input: RequestInput): Promise<void> {
  r.trail.offeredReason = offeredReason(input.reason);
  const auth = await authenticate(r, { deferUse: true });
  const reason = checkReason(input.reason);
  r.trail.reason = reason;
  sendOk(r, await performFetch(r, auth, parseFetchRequest(input.request), reason));
}

/** The one path from a template to a redacted answer, shared by /v1/fetch and the HTTPS proxy's route. */
export async function performFetch(r: EndpointRequest, auth: Authenticated, template: FetchTemplate, reason: string): Promise<FetchAnswer> {
  const targets = findTargets(r, auth, template);
  checkDestination(template.origin, distinctEntries(targets).map((t) => t.entry.allowedHosts));
  const approvalIds = await approveAll(r, auth, targets, reason, 'use');
  recheck(r, auth);
  const now = nowMs(r);
  const values = new Map(targets.map((t) => [t.ref.text, readTarget(t, now)] as const));
  const outgoing = fillRequest(template, values);
  // No log, no secret: every row is on disk before the request leaves.
  await Promise.all(targets.map((t) => auditUse(r, auth, t, approvalIds.get(t) ?? null, template)));
  const upstream = await sendUpstream(outgoing);
  return redactAnswer(upstream, redactionsFor(values));
}

function findTargets(r: EndpointRequest, auth: Authenticated, template: FetchTemplate): ResolveTarget[] {
  if (template.refs.length === 0) throw new VkError('invalid_request', 'the request names no {{vk://vault/entry/field}} placeholder');
  if (template.refs.length > MAX_REFS) throw new VkError('invalid_request', `at most ${MAX_REFS} distinct references`);
  return template.refs.map((text) => resolveTarget(r, auth.record.scope, parseVkRef(text), ['use', 'read']));
}

/** Two fields of one entry are one entry for the host check. */
function distinctEntries(targets: readonly ResolveTarget[]): ResolveTarget[] {
  const seen = new Map<string, ResolveTarget>();
  for (const t of targets) if (!seen.has(t.entry.id)) seen.set(t.entry.id, t);
  return [...seen.values()];
}

function auditUse(r: EndpointRequest, auth: Authenticated, t: ResolveTarget, approvalId: string | null, template: FetchTemplate): Promise<unknown> {
  setTrail(r, t);
  return auditAllowed(r, {
    action: 'secret.use',
    keyThumbprint: auth.jkt ?? auth.record.jkt,
    vaultId: t.vault.id,
    entryId: t.entry.id,
    field: t.field.slice(0, 200),
    approvalId,
    // The destination is not secret: placeholders may not stand in the scheme, host or port.
    detail: { method: template.method, host: template.origin.host, ...(t.ref.attribute === 'otp' ? { attribute: 'otp' } : {}) },
  });
}
