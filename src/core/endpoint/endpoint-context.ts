/**
 * The per-endpoint state (built once, when the endpoint starts) and the per-request context every
 * route receives. Nothing here does I/O.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { DpopNonces } from '../auth/dpop-nonce.js';
import { ReplayCache } from '../auth/replay-cache.js';
import { VerifiedTokenCache } from '../auth/verified-token-cache.js';
import { RefusalLimiter } from '../audit/refusal-limiter.js';
import type { HostCheck } from '../net/listener-checks.js';
import type { EndpointServices } from './endpoint-services.js';

export type ListenerKind = 'tcp' | 'socket';

/** One of the two listeners. `base` is its canonical URL, from configuration, never from a Host header. */
export interface Listener {
  readonly kind: ListenerKind;
  /** `http://127.0.0.1:<port>` over TCP, `http://localhost` over the Unix socket (docs/security.md DPoP 4). */
  readonly base: string;
  checkHost(rawHeaders: readonly string[]): HostCheck;
}

export interface EndpointState {
  readonly services: EndpointServices;
  /** `http://127.0.0.1:<port>`: every token's `iss` and `aud`, whichever listener a request used. */
  readonly issuer: string;
  readonly allowedOrigins: readonly string[];
  readonly nonces: DpopNonces;
  readonly replay: ReplayCache;
  readonly tokenCache: VerifiedTokenCache;
  readonly refusals: RefusalLimiter;
}

/** Refusal rows per source (a token id, or a listener for unverified tokens) per minute. */
const REFUSALS_PER_MINUTE = 30;

export function createEndpointState(services: EndpointServices, issuer: string, allowedOrigins: readonly string[]): EndpointState {
  return {
    services,
    issuer,
    allowedOrigins,
    nonces: new DpopNonces(services.nonceSecret, () => services.clock()),
    replay: new ReplayCache(),
    tokenCache: new VerifiedTokenCache(),
    refusals: new RefusalLimiter({ perMinute: REFUSALS_PER_MINUTE }),
  };
}

/**
 * What a request has shown about who is asking, filled in as authentication proceeds, so a
 * refusal at any step can be audited with everything known by then (and nothing guessed).
 */
export class AuditTrail {
  /** Set once the request presented a credential (access token, subject token, enrollment or device code) or proved a key asking for access. */
  presented = false;
  tokenId: string | null = null;
  /** A digest of the credential as presented, verified or not: the refusal bucket when no token verified. */
  credential: string | null = null;
  agent: string | null = null;
  keyThumbprint: string | null = null;
  reason: string | null = null;
  /** A well-formed reason read before authentication; a refusal row keeps it once a signed token named the agent. */
  offeredReason: string | null = null;
  /** The proof carried some nonce; one without any is the first step of the handshake, not an attempt. */
  nonceOffered = false;
  /** What the request is for (an SSH signature's key and destination), on its refusal row too. Never a value. */
  detail: Readonly<Record<string, unknown>> = {};
}

/** Which answers a route gives: OAuth authorization-server errors are 400 (RFC 6749 §5.2, RFC 9449 §8). */
export type RouteSurface = 'metadata' | 'authorization' | 'resource';

export interface EndpointRequest {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly listener: Listener;
  readonly state: EndpointState;
  /** Parsed against the listener's base; only `pathname` is used (queries are refused). */
  readonly url: URL;
  readonly surface: RouteSurface;
  /** The audit action of this route, for its refusal rows. */
  readonly action: string;
  readonly trail: AuditTrail;
}

/** The canonical URL of this request's route on its listener: what a DPoP `htu` must equal. */
export function canonicalUrl(r: EndpointRequest): string {
  return `${r.listener.base}${r.url.pathname}`;
}

export function nowMs(r: EndpointRequest): number {
  return r.state.services.clock();
}

export function nowSeconds(r: EndpointRequest): number {
  return Math.floor(r.state.services.clock() / 1000);
}
