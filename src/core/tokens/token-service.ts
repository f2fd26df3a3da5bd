/**
 * Valet-key tokens (docs/design.md §3, docs/security.md "Access tokens", "Token exchange"): a person creates
 * one and gets a one-time enrollment code; an agent redeems it with its key; revocation cascades
 * to every token exchanged from it and is in force before `revoke` returns.
 */
import type { RevocationsInLog } from '../integrity/revocations-in-log.js';
import { VkError } from '../../shared/errors.js';
import type { CreatedToken, TokenInfo, TokenInput } from '../../shared/model.js';
import { verifyAccessToken } from '../auth/access-token.js';
import type { ScopeItem } from '../auth/scopes.js';
import type { IssuedToken, TokenRecord, TokenService } from '../agent/agent-services.js';
import { newId } from '../vault/ids.js';
import { ENROLLMENT_CODE_TTL_MS, hashEnrollmentCode, newEnrollmentCode } from './enrollment-code.js';
import { scopeDetail, type TokenServiceDeps } from './token-deps.js';
import { validateTokenInput, type ValidTokenInput } from './token-input.js';
import { TokenIssuer, type ExchangeRequest } from './token-issuer.js';
import { TokenRegistry } from './token-registry.js';
import type { StoredToken } from './token-store.js';
import { matchesFilter, toTokenInfo } from './token-views.js';

export type { TokenServiceDeps } from './token-deps.js';

const MAX_REASON_CHARS = 100;

export class TokenServiceImpl implements TokenService {
  readonly #deps: TokenServiceDeps;
  readonly #registry: TokenRegistry;
  readonly #issuer: TokenIssuer;

  constructor(deps: TokenServiceDeps) {
    this.#deps = deps;
    this.#registry = new TokenRegistry(deps.db, deps.clock, deps.seal);
    this.#issuer = new TokenIssuer(deps, this.#registry);
  }

  // ---- person side ----

  async create(input: TokenInput): Promise<CreatedToken> {
    const now = this.#deps.clock();
    const valid = validateTokenInput(input, this.#deps.vaults);
    const code = newEnrollmentCode();
    const token = appToken(valid, now);
    this.#registry.add(token, hashEnrollmentCode(code));
    await this.#issuer.auditBeforeRelease(token, {
      actor: 'person',
      action: 'token.create',
      outcome: 'ok',
      tokenId: token.id,
      detail: {
        name: valid.name,
        scope: scopeDetail(valid.scopeText),
        lifespanSeconds: valid.lifespanSeconds,
        binding: valid.binding,
        approval: valid.approval,
        maxUses: valid.maxUses,
        requestsPerMinute: valid.requestsPerMinute,
        proxyOtherHosts: valid.proxyOtherHosts,
      },
    });
    return {
      token: toTokenInfo(token, now),
      enrollmentCode: code,
      enrollmentExpiresAt: new Date(token.enrollmentExpiresAt ?? now).toISOString(),
    };
  }

  list(status: 'active' | 'expired' | 'revoked' | 'all'): TokenInfo[] {
    const now = this.#deps.clock();
    return this.#registry
      .all()
      .map((token) => toTokenInfo(token, now))
      .filter((info) => matchesFilter(info.status, status));
  }

  async revoke(tokenId: string, reason: string, actor: 'person' | 'engine' = 'person'): Promise<number> {
    if (typeof tokenId !== 'string' || tokenId.length === 0) throw new VkError('not_found', 'no token with that id');
    const ids = this.#revokeNow(() => this.#registry.revokeTree(tokenId, this.#deps.clock(), shortReason(reason)));
    await this.#deps.audit({ actor, action: 'token.revoke', outcome: 'ok', tokenId, detail: { reason: shortReason(reason), revoked: ids.length } });
    await this.#deps.recorded?.();
    return ids.length;
  }

  async revokeAll(reason: string): Promise<number> {
    const ids = this.#revokeNow(() => this.#registry.revokeActive(this.#deps.clock(), shortReason(reason)));
    await this.#deps.audit({ actor: 'person', action: 'token.revoke_all', outcome: 'ok', detail: { reason: shortReason(reason), revoked: ids.length } });
    await this.#deps.recorded?.();
    return ids.length;
  }

  // ---- agent side ----

  enroll(code: string, clientId: string | undefined, jkt: string | null): Promise<IssuedToken> {
    return this.#issuer.enroll(code, clientId, jkt);
  }

  issueForDevice(input: { readonly name: string; readonly scope: readonly ScopeItem[]; readonly lifespanSeconds: number; readonly jkt: string }): Promise<IssuedToken> {
    return this.#issuer.issueForDevice(input);
  }

  exchange(subject: TokenRecord, request: ExchangeRequest): Promise<IssuedToken> {
    return this.#issuer.exchange(subject, request);
  }

  record(tokenId: string): TokenRecord | undefined {
    return this.#registry.get(tokenId);
  }

  /** The token now has a tripwire guard: from here on, a missing guard row is tampering. */
  markGuarded(tokenId: string): void {
    this.#registry.markGuarded(tokenId);
  }

  consume(tokenId: string, now: number): void {
    this.#registry.consume(tokenId, now);
  }

  /**
   * RFC 7009 §2.2: an invalid, foreign or already revoked token gets the same quiet answer as a
   * good one, so this tells a caller nothing. Only a revocation that happened is audited.
   */
  async selfRevoke(accessToken: string): Promise<void> {
    const now = this.#deps.clock();
    let jti: string;
    try {
      const key = this.#deps.signer();
      const issuer = this.#deps.issuer;
      jti = (await verifyAccessToken(accessToken, { key, issuer, audience: issuer, nowSeconds: Math.floor(now / 1000) })).jti;
    } catch {
      return;
    }
    // A row that failed its MAC is already refused on every request; the answer stays the quiet one.
    const token = this.#registry.has(jti) ? this.#registry.get(jti) : undefined;
    if (token === undefined || token.revokedAt !== null) return;
    const ids = this.#revokeNow(() => this.#registry.revokeTree(token.id, now, 'self'));
    if (ids.length === 0) return;
    await this.#deps.audit({
      actor: 'agent',
      action: 'token.self_revoke',
      outcome: 'ok',
      agent: token.actors[0] ?? token.name,
      tokenId: token.id,
      keyThumbprint: token.jkt,
      detail: { revoked: ids.length },
    });
  }

  /** Loads the tokens and checks their MACs, and their revocations against the audit log (the engine calls this once it has its keys). */
  loadChecked(log: RevocationsInLog): void {
    this.#registry.load();
    this.#registry.refuseRevokedInLog(log);
  }

  /** Writes pending use counts; call before closing the database. */
  flush(): void {
    this.#registry.flush();
  }

  /** Runs a revocation (already in force when it returns) and tells whoever must know. */
  #revokeNow(revoke: () => string[]): string[] {
    const ids = revoke();
    if (ids.length > 0) {
      this.#deps.onRevoked?.(ids);
      this.#deps.emit({ type: 'tokens.changed' });
    }
    return ids;
  }
}

function shortReason(reason: string): string {
  const text = typeof reason === 'string' && reason.length > 0 ? reason : 'unspecified';
  return text.slice(0, MAX_REASON_CHARS);
}

/** A token made in the app: not yet bound to a key until its agent redeems the code. */
function appToken(valid: ValidTokenInput, now: number): StoredToken {
  const expiresAt = now + valid.lifespanSeconds * 1000;
  return {
    id: newId(),
    name: valid.name,
    origin: 'app',
    scope: valid.scope,
    scopeText: valid.scopeText,
    binding: valid.binding,
    approval: valid.approval,
    maxUses: valid.maxUses,
    requestsPerMinute: valid.requestsPerMinute,
    proxyOtherHosts: valid.proxyOtherHosts,
    uses: 0,
    createdAt: now,
    expiresAt,
    revokedAt: null,
    enrolledAt: null,
    jkt: null,
    parentId: null,
    actors: [],
    lastUsedAt: null,
    enrollmentExpiresAt: Math.min(now + ENROLLMENT_CODE_TTL_MS, expiresAt),
  };
}
