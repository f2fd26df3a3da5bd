/** Agent access: valet-key tokens, agent-initiated (device) requests, approvals. */
import type { ApprovalSetting } from '../model.js';
import type { TokenRules, TokenTripwires } from './tripwires.js';

export const TOKEN_ACTIONS = ['read', 'use'] as const;
export type TokenAction = (typeof TOKEN_ACTIONS)[number];
export type TokenBinding = 'dpop' | 'bearer';
export type TokenOrigin = 'app' | 'device' | 'exchange';
export type TokenStatus = 'pending_enrollment' | 'active' | 'expired' | 'revoked';

export const MIN_LIFESPAN_SECONDS = 5 * 60;
export const MAX_LIFESPAN_SECONDS = 365 * 24 * 3600;
export const LIFESPAN_PRESETS = { '1h': 3600, '1d': 86_400, '7d': 7 * 86_400, '30d': 30 * 86_400, '1y': 365 * 86_400 } as const;

/** What `valetkey proxy` does with a host no entry allows: pass it through untouched, or refuse it. */
export const PROXY_OTHER_HOSTS = ['tunnel', 'refuse'] as const;
export type ProxyOtherHosts = (typeof PROXY_OTHER_HOSTS)[number];

/** `vault`: follow each vault's own setting. Otherwise this token is held to the given setting (never looser than the vault's). */
export type TokenApproval = 'vault' | ApprovalSetting;

export interface TokenInput {
  /** The agent's name: becomes `sub` and `client_id`. 1..100 characters. */
  readonly name: string;
  /** Vault ids or names. */
  readonly vaults: readonly string[];
  readonly actions: readonly TokenAction[];
  /** Narrow to these entries (ids or titles) inside the chosen vaults. */
  readonly entries?: readonly { readonly vault: string; readonly entry: string }[];
  readonly lifespanSeconds: number;
  readonly approval?: TokenApproval;
  readonly maxUses?: number;
  readonly requestsPerMinute?: number;
  /** Default `tunnel`. Enforced by the engine for the proxy; a program can still ignore HTTPS_PROXY. */
  readonly proxyOtherHosts?: ProxyOtherHosts;
  /** Default `dpop`. `bearer` is an explicit, labelled opt-in for plain scripts. */
  readonly binding?: TokenBinding;
  /** Tripwire rules (alert, ask or pause on bursts, new entries, hours, new reasons, a second key). */
  readonly rules?: TokenRules;
}

export interface TokenInfo {
  readonly id: string;
  readonly name: string;
  readonly origin: TokenOrigin;
  /** Canonical scope string with vault (and entry) ids, as in the access token. */
  readonly scope: string;
  readonly vaultIds: readonly string[];
  readonly actions: readonly TokenAction[];
  readonly binding: TokenBinding;
  readonly approval: TokenApproval;
  readonly maxUses: number | null;
  readonly requestsPerMinute: number | null;
  readonly proxyOtherHosts: ProxyOtherHosts;
  readonly uses: number;
  readonly status: TokenStatus;
  readonly createdAt: string;
  readonly expiresAt: string;
  readonly revokedAt: string | null;
  readonly lastUsedAt: string | null;
  readonly enrolledAt: string | null;
  /** RFC 7638 thumbprint of the agent's key, once enrolled (DPoP). */
  readonly keyThumbprint: string | null;
  readonly parentId: string | null;
  /** Names along the exchange chain, outermost first (RFC 8693 `act`). */
  readonly actors: readonly string[];
  /** Paused by a tripwire or the person, and the token's rules; set by the admin API. */
  readonly tripwires?: TokenTripwires;
}

export interface CreatedToken {
  readonly token: TokenInfo;
  /** Shown once; stored only as a hash; single use; 15 minutes. */
  readonly enrollmentCode: string;
  readonly enrollmentExpiresAt: string;
}

export type DeviceRequestStatus = 'pending' | 'approved' | 'denied' | 'expired' | 'redeemed';

export interface DeviceRequestInfo {
  readonly id: string;
  /** `XXXX-XXXX`, to compare with what the agent printed. */
  readonly userCode: string;
  /** Claimed by the agent, not verified. */
  readonly clientName: string;
  /** The agent's key; null until the agent's first poll proves one (the request may come without a proof). */
  readonly keyThumbprint: string | null;
  readonly requestedScope: string;
  /** The requested vaults as the agent named them, with the id and name they resolve to now (null if unknown). */
  readonly vaults: readonly { readonly ref: string; readonly id: string | null; readonly name: string | null }[];
  readonly actions: readonly TokenAction[];
  readonly lifespanSeconds: number;
  readonly reason: string;
  readonly status: DeviceRequestStatus;
  readonly createdAt: string;
  readonly expiresAt: string;
  readonly tokenId: string | null;
  /** Once approved: the scope granted (vault and entry ids; narrower than asked when the person narrowed it). */
  readonly grantedScope?: string;
  /** Once approved: the lifespan granted, at most `lifespanSeconds`. */
  readonly grantedLifespanSeconds?: number;
}

export type ApprovalStatus = 'pending' | 'allowed' | 'denied' | 'timed_out';
export type ApprovalDecision = 'allow_once' | 'allow_for' | 'deny';

/** Everything a prompt must show (docs/design.md §4). */
export interface ApprovalInfo {
  readonly id: string;
  readonly tokenId: string;
  readonly tokenName: string;
  /** 'device': the person approved a name the agent chose, so the page says it is only claimed. */
  readonly tokenOrigin: TokenOrigin;
  /** The token's name when the request was made (for a device-flow token, the agent's claim). */
  readonly agent: string;
  readonly keyThumbprint: string | null;
  readonly vaultId: string;
  readonly vaultName: string | null;
  readonly entryId: string | null;
  readonly entryTitle: string | null;
  readonly field: string | null;
  readonly action: TokenAction;
  readonly reason: string | null;
  readonly status: ApprovalStatus;
  readonly decision: ApprovalDecision | null;
  /** For `allow_for`. */
  readonly minutes: number | null;
  readonly createdAt: string;
  readonly expiresAt: string;
  readonly decidedAt: string | null;
}

export interface AgentEndpointInfo {
  /** `http://127.0.0.1:PORT` */
  readonly url: string;
  readonly socketPath: string;
}

