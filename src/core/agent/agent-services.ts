/**
 * The roles behind the agent endpoint, as interfaces. The endpoint (src/core/endpoint) depends
 * only on these; the engine wires the implementations (TokenService in src/core/tokens,
 * DeviceFlow in src/core/device, ApprovalBroker in src/core/approvals) in src/core/engine.ts.
 */
import type { ScopeItem } from '../auth/scopes.js';
import type {
  ApprovalDecision,
  ApprovalInfo,
  ApprovalSetting,
  CreatedToken,
  DeviceRequestInfo,
  ProxyOtherHosts,
  TokenAction,
  TokenApproval,
  TokenBinding,
  TokenInfo,
  TokenInput,
  TokenOrigin,
} from '../../shared/model.js';

/** A token as the engine holds it in memory (and in the `tokens` table). Times in ms. */
export interface TokenRecord {
  readonly id: string;
  readonly name: string;
  readonly origin: TokenOrigin;
  /** Parsed scope; refs are vault and entry ids. */
  readonly scope: readonly ScopeItem[];
  readonly scopeText: string;
  readonly binding: TokenBinding;
  readonly approval: TokenApproval;
  readonly maxUses: number | null;
  readonly requestsPerMinute: number | null;
  /** null: a token from before the setting existed, which tunnels. */
  readonly proxyOtherHosts: ProxyOtherHosts | null;
  readonly uses: number;
  readonly createdAt: number;
  readonly expiresAt: number;
  readonly revokedAt: number | null;
  readonly enrolledAt: number | null;
  readonly jkt: string | null;
  readonly parentId: string | null;
  readonly actors: readonly string[];
  readonly lastUsedAt: number | null;
  /** The token has a sealed tripwire guard (rules or pause): its row going missing is tampering. */
  readonly guarded?: boolean;
}

/** What `/v1/token` answers (RFC 6749 §5.1, RFC 9449 token_type DPoP). */
export interface IssuedToken {
  readonly accessToken: string;
  readonly tokenType: 'DPoP' | 'Bearer';
  readonly expiresIn: number;
  readonly scope: string;
  readonly tokenId: string;
}

export interface TokenService {
  // ---- person side (admin API; the grant is checked before these are called) ----
  create(input: TokenInput): Promise<CreatedToken>;
  list(status: 'active' | 'expired' | 'revoked' | 'all'): TokenInfo[];
  /**
   * Revokes the token and every token exchanged from it, in force before the first await (the
   * promise carries the audit row). Returns how many. `engine` when a tripwire revoked it.
   */
  revoke(tokenId: string, reason: string, actor?: 'person' | 'engine'): Promise<number>;
  revokeAll(reason: string): Promise<number>;

  // ---- agent side (the endpoint calls these after checking the request) ----
  /** Redeem a one-time enrollment code; `jkt` is the proof key's thumbprint (null only for bearer tokens). */
  enroll(code: string, clientId: string | undefined, jkt: string | null): Promise<IssuedToken>;
  /** A token for an approved device request (called by DeviceFlow on the agent's successful poll). */
  issueForDevice(input: { readonly name: string; readonly scope: readonly ScopeItem[]; readonly lifespanSeconds: number; readonly jkt: string }): Promise<IssuedToken>;
  /** RFC 8693: narrower scope (⊆ subject's, else invalid_scope), no longer life, the sub-agent's key, `act` chain. */
  exchange(subject: TokenRecord, request: { readonly scope?: string; readonly lifespanSeconds?: number; readonly actorName: string; readonly jkt: string }): Promise<IssuedToken>;
  /** The in-memory record for a jti; revoked and expired ones are returned too (the caller refuses them). */
  record(tokenId: string): TokenRecord | undefined;
  /** Count one use now. Throws token_limit_reached (max uses) or rate_limited (requests per minute). */
  consume(tokenId: string, now: number): void;
  /** RFC 7009 self-revocation: a valid token of ours is revoked (with its children); anything else is silently ignored. */
  selfRevoke(accessToken: string): Promise<void>;
}

/** One pending access that a person must allow. */
export interface ApprovalRequest {
  readonly token: TokenRecord;
  readonly jkt: string | null;
  readonly vaultId: string;
  readonly entryId: string | null;
  readonly field: string | null;
  readonly action: TokenAction;
  readonly reason: string | null;
  /** The effective setting (the stricter of the vault's and the token's). */
  readonly setting: ApprovalSetting;
}

export interface ApprovalBroker {
  /**
   * Resolves once a person allowed this access (or a standing "for N minutes" / once-per-token
   * approval bound to the same key, token, vault, entry and action covers it), with the approval
   * id for the audit row. Throws approval_denied or approval_timeout (default 120 s).
   */
  await(request: ApprovalRequest): Promise<{ readonly approvalId: string }>;
  decide(approvalId: string, decision: ApprovalDecision, minutes?: number): Promise<ApprovalInfo>;
  list(status: 'pending' | 'all', limit?: number): ApprovalInfo[];
  /** Pending approvals of a revoked token fail at once. */
  cancelForToken(tokenId: string): void;
}

export interface DeviceAuthorization {
  readonly deviceCode: string;
  readonly userCode: string;
  readonly expiresIn: number;
  readonly interval: number;
}

export interface DeviceFlow {
  /** RFC 8628 §3.1-3.2. At most 3 pending per agent key (per claimed name while no key is known); rate-limited (rate_limited). */
  start(input: { readonly clientId: string; readonly jkt: string | null; readonly scope: string; readonly lifespanSeconds: number; readonly reason: string }): Promise<DeviceAuthorization>;
  /** RFC 8628 §3.4-3.5: authorization_pending, slow_down, access_denied, expired_token, invalid_grant (unknown, reused, other key). The first poll binds a request made without a key. */
  poll(deviceCode: string, jkt: string): Promise<IssuedToken>;
  list(status: 'pending' | 'all'): DeviceRequestInfo[];
  decide(
    requestId: string,
    decision: 'approve' | 'deny',
    narrowed?: { readonly vaults?: readonly string[]; readonly actions?: readonly TokenAction[]; readonly lifespanSeconds?: number },
  ): Promise<DeviceRequestInfo>;
}
