/**
 * The one path from a fetch template to a redacted answer, used by /v1/fetch and by the HTTPS
 * proxy's route (docs/security.md: use without exposure). The order is fetch-route.ts's.
 */
import { VkError } from '../../shared/errors.js';
import type { FetchAnswer } from '../../shared/model.js';
import { fillRequest, type FetchTemplate, type OutgoingRequest } from '../fetch/fetch-request.js';
import { redactAnswer, redactionsFor } from '../fetch/fetch-response.js';
import { checkDestination, checkScheme } from '../fetch/host-policy.js';
import { sendUpstream } from '../fetch/upstream.js';
import { recheck, type Authenticated } from './authenticate.js';
import { nowMs, type EndpointRequest } from './endpoint-context.js';
import { atTarget, atTargetAsync } from './endpoint-audit.js';
import { auditTargetOf, readTarget, resolveTarget, type ResolveTarget } from './resolve-targets.js';
import { MAX_REFS } from '../../shared/wire-schemas/wire-limits.js';
import { approveAll, auditTarget, requestTarget } from './target-access.js';
import { parseVkRef } from './vk-ref.js';

/**
 * The one path from a template to a redacted answer, shared by /v1/fetch and the HTTPS proxy's route.
 * `finish` reshapes the filled request (the proxy's basic auth encodes a header once the values are in).
 */
export async function performFetch(r: EndpointRequest, auth: Authenticated, template: FetchTemplate, reason: string, finish: (out: OutgoingRequest) => OutgoingRequest = (out) => out): Promise<FetchAnswer> {
  const targets = findTargets(r, auth, template);
  return atTargetAsync(requestTarget(targets), () => fetchWith(r, auth, { template, reason, finish }, targets));
}

interface FetchJob {
  readonly template: FetchTemplate;
  readonly reason: string;
  readonly finish: (out: OutgoingRequest) => OutgoingRequest;
}

async function fetchWith(r: EndpointRequest, auth: Authenticated, { template, reason, finish }: FetchJob, targets: readonly ResolveTarget[]): Promise<FetchAnswer> {
  checkScheme(template.origin);
  // Entry by entry, so a refusal names the entry whose allowed hosts leave this one out.
  for (const t of distinctEntries(targets)) atTarget(auditTargetOf(t), () => checkDestination(template.origin, [t.entry.allowedHosts]));
  const approvalIds = await approveAll(r, auth, targets, reason, 'use');
  recheck(r, auth);
  const now = nowMs(r);
  const values = new Map(targets.map((t) => [t.ref.text, atTarget(auditTargetOf(t), () => readTarget(t, now))] as const));
  const outgoing = finish(fillRequest(template, values));
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
  // The destination is not secret: placeholders may not stand in the scheme, host or port.
  return auditTarget(r, auth, t, approvalId, 'secret.use', { method: template.method, host: template.origin.host, ...(t.ref.attribute === 'otp' ? { attribute: 'otp' } : {}) });
}
