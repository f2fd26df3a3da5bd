/**
 * Audit rows written by the endpoint (docs/design.md §6): every request that presented a credential is a
 * row, allowed or refused. Refusals are rate-limited per source so a flood cannot fill the disk,
 * and are not awaited: nothing leaves on a refusal, so nothing waits for its row. Never a token,
 * a proof or a value: the token id (jti) and the key thumbprint stand for them.
 */
import type { Socket } from 'node:net';
import { logBug } from '../net/safe-error.js';
import { isVkError } from '../../shared/errors.js';
import type { AuditRecord, AuditRow } from '../../shared/model.js';
import type { EndpointRequest } from './endpoint-context.js';

/**
 * Codes that are the normal rhythm of an OAuth flow, not refusals worth a row: RFC 8628 polling,
 * and the nonce handshake that starts every token request (RFC 9449 §8).
 */
const NOT_REFUSALS: readonly string[] = ['authorization_pending', 'slow_down', 'use_dpop_nonce'];

/**
 * A sensitive vault asked with a proof that carries no nonce at all is the client's first step of
 * the handshake (RFC 9449 §9): its retry is what gets audited, so a row here would count every
 * approval-gated read twice. A stale or made-up nonce is still a refusal row (docs/security.md, attack 28).
 */
function isHandshakeStep(r: EndpointRequest, code: string): boolean {
  return code === 'use_dpop_nonce' && !r.trail.nonceOffered;
}

/** The vault, entry and field a step was working on: a refusal row names these, whatever else the request touched. */
export interface AuditTarget {
  readonly vaultId: string | null;
  readonly entryId: string | null;
  readonly field: string | null;
}

export const NO_TARGET: AuditTarget = { vaultId: null, entryId: null, field: null };

/** A refusal from a step about one target, carrying that target up to the request's refusal row. */
class RefusedAt extends Error {
  constructor(readonly refusal: unknown, readonly target: AuditTarget) {
    super('refused');
  }
}

/** Runs a step about `target`; what it throws reaches the refusal row with that target (an inner step's target wins). */
export function atTarget<T>(target: AuditTarget, step: () => T): T {
  try {
    return step();
  } catch (e) {
    throw e instanceof RefusedAt ? e : new RefusedAt(e, target);
  }
}

/** A refusal about `target`, to throw. */
export function refusedAt(target: AuditTarget, error: unknown): Error {
  return new RefusedAt(error, target);
}

export async function atTargetAsync<T>(target: AuditTarget, step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (e) {
    throw e instanceof RefusedAt ? e : new RefusedAt(e, target);
  }
}

/** The refusal as thrown, and the target of the step that threw it (none for request-wide steps). */
export function unwrapRefusal(e: unknown): { readonly error: unknown; readonly target: AuditTarget } {
  return e instanceof RefusedAt ? { error: e.refusal, target: e.target } : { error: e, target: NO_TARGET };
}

export function auditRefusal(r: EndpointRequest, error: unknown, target: AuditTarget = NO_TARGET): void {
  if (!r.trail.presented) return; // never reached authentication (Host, Origin, body shape)
  const code = isVkError(error) ? error.code : 'internal_error';
  if (r.surface === 'authorization' && NOT_REFUSALS.includes(code)) return;
  if (isHandshakeStep(r, code)) return;
  const decision = r.state.refusals.shouldLog(refusalSource(r), r.state.services.clock());
  if (!decision.log) return;
  const detail = {
    via: r.listener.kind,
    ...r.trail.detail,
    ...(decision.suppressedSinceLast > 0 ? { suppressed: decision.suppressedSinceLast } : {}),
    ...(decision.suppressedInClass > 0 ? { suppressedOverall: decision.suppressedInClass } : {}),
  };
  // A revoked or spent token is refused before the reason is checked; the row still says why the agent asked.
  const reason = r.trail.reason ?? (r.trail.tokenId !== null ? r.trail.offeredReason : null);
  r.state.services.audit({ ...trailFields(r), ...targetFields(target), reason, action: r.action, outcome: 'refused', errorCode: code, detail }).catch(ignoreAuditFailure);
}

/** Connections numbered as first seen, for refusals that name no credential at all. */
const connections = new WeakMap<Socket, number>();
let nextConnection = 0;

/**
 * Whose refusal budget a refusal spends: the verified token's; else the proven key's; else the credential as presented
 * (a digest: a made-up one is its own source, and the class cap bounds those); else the
 * connection. Never one bucket per listener, which one caller could use up to silence others.
 */
function refusalSource(r: EndpointRequest): string {
  if (r.trail.tokenId !== null) return `token:${r.trail.tokenId}`;
  // A key that proved itself asking for access (device flow): fresh keys are cheap, so its own class.
  if (r.trail.keyThumbprint !== null) return `key:${r.trail.keyThumbprint}`;
  if (r.trail.credential !== null) return `unverified:cred:${r.trail.credential}`;
  let id = connections.get(r.req.socket);
  if (id === undefined) {
    id = nextConnection++;
    connections.set(r.req.socket, id);
  }
  return `unverified:conn:${id}`;
}

/** An allowed request's row; the caller decides whether to await the commit (always, before a secret leaves). */
export function auditAllowed(r: EndpointRequest, record: Partial<AuditRecord> & Pick<AuditRecord, 'action'>): Promise<AuditRow> {
  return r.state.services.audit({ ...trailFields(r), outcome: 'allowed', ...record, detail: { via: r.listener.kind, ...record.detail } });
}

/** A refusal row that cannot be written (disk full) is dropped: the request was refused anyway. A bug is still reported. */
export function ignoreAuditFailure(e: unknown): void {
  if (!isVkError(e)) logBug(e);
}

function trailFields(r: EndpointRequest): Omit<AuditRecord, 'action' | 'outcome'> {
  const t = r.trail;
  return {
    actor: 'agent',
    agent: t.agent === null ? null : t.agent.slice(0, 100),
    tokenId: t.tokenId,
    keyThumbprint: t.keyThumbprint,
    vaultId: null,
    entryId: null,
    field: null,
    reason: t.reason,
  };
}

function targetFields(t: AuditTarget): Pick<AuditRecord, 'vaultId' | 'entryId' | 'field'> {
  return { vaultId: t.vaultId, entryId: t.entryId, field: t.field === null ? null : t.field.slice(0, 200) };
}
