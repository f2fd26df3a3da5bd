/**
 * Typed errors. Every failure the engine reports is a `ValetkeyError` with the engine's stable
 * `code` (docs/tokens.md §9) and its fixed sentence; the common ones have their own subclass so
 * an agent can `catch (e) { if (e instanceof ApprovalDeniedError) ... }`. No message ever holds a
 * token, a proof or a secret value: the engine's sentences are fixed, and the SDK adds none.
 */
export class ValetkeyError extends Error {
  constructor(
    /** The engine's stable error code, e.g. `vault_locked`, or a client-side one (`engine_unreachable`). */
    readonly code: string,
    message: string,
    /** The HTTP status of the engine's answer; 0 when no engine answered. */
    readonly status = 0,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** The person denied this access, or the agent's device-flow request (`access_denied`). */
export class ApprovalDeniedError extends ValetkeyError {}
/** Nobody answered in time (`approval_timeout`), or the device code expired (`expired_token`). */
export class ApprovalTimeoutError extends ValetkeyError {}
/** The token is missing, malformed, revoked, or bound to another key (`invalid_token`). */
export class InvalidTokenError extends ValetkeyError {}
/** The token's lifespan is over: get a new one. */
export class TokenExpiredError extends InvalidTokenError {}
export class VaultLockedError extends ValetkeyError {}
export class AgentsPausedError extends ValetkeyError {}
export class InsufficientScopeError extends ValetkeyError {}
export class ReasonRequiredError extends ValetkeyError {}
export class HostNotAllowedError extends ValetkeyError {}
/** An enrollment or device code that is unknown, used or expired; an invalid subject token. */
export class InvalidGrantError extends ValetkeyError {}
/** A scope that is malformed or wider than the token being exchanged. */
export class InvalidScopeError extends ValetkeyError {}
/** Too many requests, or the token's allowed number of uses is spent. */
export class RateLimitedError extends ValetkeyError {}
/** No engine answers: not running, or the discovery file points nowhere. */
export class EngineUnreachableError extends ValetkeyError {}

type ErrorClass = new (code: string, message: string, status?: number) => ValetkeyError;

const CLASSES: Readonly<Record<string, ErrorClass>> = {
  approval_denied: ApprovalDeniedError,
  access_denied: ApprovalDeniedError,
  approval_timeout: ApprovalTimeoutError,
  expired_token: ApprovalTimeoutError,
  invalid_token: InvalidTokenError,
  vault_locked: VaultLockedError,
  agents_paused: AgentsPausedError,
  token_paused: AgentsPausedError,
  insufficient_scope: InsufficientScopeError,
  reason_required: ReasonRequiredError,
  host_not_allowed: HostNotAllowedError,
  invalid_grant: InvalidGrantError,
  invalid_scope: InvalidScopeError,
  rate_limited: RateLimitedError,
  token_limit_reached: RateLimitedError,
  engine_unreachable: EngineUnreachableError,
};

/** The typed error for an engine's `{error, error_description}` answer. */
export function errorFromAnswer(status: number, body: unknown): ValetkeyError {
  const { error, error_description: description } = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const code = typeof error === 'string' && /^[a-z_]{1,64}$/.test(error) ? error : 'internal_error';
  const message = typeof description === 'string' ? description.slice(0, 500) : `Valetkey answered ${status} without an error description.`;
  return makeError(code, message, status);
}

export function makeError(code: string, message: string, status = 0): ValetkeyError {
  const Class = CLASSES[code] ?? ValetkeyError;
  return new Class(code, message, status);
}
