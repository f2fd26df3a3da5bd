/**
 * The agent side of tokens: redeeming an enrollment code, issuing the token of an approved device
 * request, and RFC 8693 exchange for sub-agents. Access tokens are signed, handed out once and
 * never stored; the audit row is committed before one leaves.
 */
import { VkError } from '../../shared/errors.js';
import { MAX_LIFESPAN_SECONDS, type AuditRecord } from '../../shared/model.js';
import { issueAccessToken } from '../auth/access-token.js';
import type { ScopeItem } from '../auth/scopes.js';
import type { IssuedToken, TokenRecord } from '../agent/agent-services.js';
import { newId } from '../vault/ids.js';
import { invalid, requireName } from '../vault/input-checks.js';
import { hashEnrollmentCode, looksLikeEnrollmentCode } from './enrollment-code.js';
import { tokenClaims } from './token-claims.js';
import { scopeDetail, type TokenServiceDeps } from './token-deps.js';
import { MAX_TOKEN_NAME_CHARS, optionalWholeNumber, requireLifespan } from './token-input.js';
import { MAX_CHAIN_DEPTH, type TokenRegistry } from './token-registry.js';
import { boundedScopeText, resolveExchangeScope, resolveScopeIds } from './token-scope.js';
import type { StoredToken } from './token-store.js';

const JKT = /^[A-Za-z0-9_-]{43}$/; // RFC 7638 SHA-256 thumbprint, base64url

export interface ExchangeRequest {
  readonly scope?: string;
  readonly lifespanSeconds?: number;
  readonly actorName: string;
  readonly jkt: string;
}

export class TokenIssuer {
  constructor(
    private readonly deps: TokenServiceDeps,
    private readonly registry: TokenRegistry,
  ) {}

  /**
   * The code alone names the token. A `clientId`, when the agent sends one, must equal the token's
   * name (the person named the agent when creating it), so a code pasted into the wrong agent fails.
   */
  async enroll(code: string, clientId: string | undefined, jkt: string | null): Promise<IssuedToken> {
    const now = this.deps.clock();
    if (!looksLikeEnrollmentCode(code)) throw new VkError('invalid_grant');
    const hash = hashEnrollmentCode(code);
    const token = this.registry.byEnrollmentHash(hash);
    if (token === undefined || !isRedeemable(token, now)) throw new VkError('invalid_grant');
    if (clientId !== undefined && clientId !== token.name) throw new VkError('invalid_client');
    checkEnrollmentKey(token, jkt);
    // Sign before burning the code, so a locked engine or a bug leaves the code usable.
    const accessToken = await issueAccessToken(this.deps.signer(), tokenClaims({ ...token, jkt, enrolledAt: now }, this.deps.issuer, now));
    const redeemed = this.registry.redeem(token, hash, jkt, now);
    if (redeemed === undefined) throw new VkError('invalid_grant'); // lost a race with another redeem
    await this.auditBeforeRelease(redeemed, { actor: 'agent', action: 'token.enroll', outcome: 'ok', agent: token.name, tokenId: token.id, keyThumbprint: jkt });
    return issued(redeemed, accessToken, now);
  }

  async issueForDevice(input: { readonly name: string; readonly scope: readonly ScopeItem[]; readonly lifespanSeconds: number; readonly jkt: string }): Promise<IssuedToken> {
    const now = this.deps.clock();
    const name = requireName(input.name, 'The agent name', MAX_TOKEN_NAME_CHARS);
    const jkt = requireJkt(input.jkt);
    const lifespanSeconds = requireLifespan(input.lifespanSeconds);
    const scope = resolveScopeIds(input.scope, this.deps.vaults);
    const token = agentToken({ name, origin: 'device', scope, jkt, now, expiresAt: now + lifespanSeconds * 1000 });
    const accessToken = await issueAccessToken(this.deps.signer(), tokenClaims(token, this.deps.issuer, now));
    this.registry.add(token, null);
    await this.auditBeforeRelease(token, {
      actor: 'agent',
      action: 'token.issue',
      outcome: 'ok',
      agent: name,
      tokenId: token.id,
      keyThumbprint: jkt,
      detail: { origin: 'device', scope: scopeDetail(token.scopeText), lifespanSeconds },
    });
    return issued(token, accessToken, now);
  }

  /**
   * RFC 8693 delegation. The new token keeps the subject's `sub` (whose grant it is) and names
   * the sub-agent as the current actor: `act: { sub: actorName, act: <the subject's act> }`,
   * stored as `actors`, newest first. Scope ⊆ the subject's, life ≤ the subject's, the same
   * approval and limits (uses count against the subject too), bound to the sub-agent's key.
   */
  async exchange(subject: TokenRecord, request: ExchangeRequest): Promise<IssuedToken> {
    const now = this.deps.clock();
    const parent = this.registry.get(subject.id);
    if (parent === undefined || !isActive(parent, now)) throw new VkError('invalid_grant');
    const actorName = requireName(request.actorName, 'The actor name', MAX_TOKEN_NAME_CHARS);
    const jkt = requireJkt(request.jkt);
    if (parent.actors.length + 1 >= MAX_CHAIN_DEPTH) throw invalid(`tokens can be exchanged at most ${MAX_CHAIN_DEPTH - 1} times in a chain`);
    const scope = request.scope === undefined ? [...parent.scope] : resolveExchangeScope(request.scope, parent.scope, this.deps.vaults);
    const lifespan = optionalWholeNumber(request.lifespanSeconds, 'lifespanSeconds', 1, MAX_LIFESPAN_SECONDS);
    const expiresAt = lifespan === null ? parent.expiresAt : Math.min(parent.expiresAt, now + lifespan * 1000);
    if (Math.floor(expiresAt / 1000) <= Math.floor(now / 1000)) throw new VkError('invalid_grant'); // nothing left to hand on
    const token = childToken(parent, { scope, jkt, actorName, now, expiresAt });
    const accessToken = await issueAccessToken(this.deps.signer(), tokenClaims(token, this.deps.issuer, now));
    // The subject may have been revoked while we signed: check again in the same turn as the
    // insert, so a revocation either sees this child (and cascades) or refuses it here.
    const latest = this.registry.get(parent.id);
    if (latest === undefined || !isActive(latest, this.deps.clock())) throw new VkError('invalid_grant');
    this.registry.add(token, null);
    await this.auditBeforeRelease(token, {
      actor: 'agent',
      action: 'token.exchange',
      outcome: 'ok',
      agent: parent.actors[0] ?? parent.name,
      tokenId: token.id,
      keyThumbprint: jkt,
      detail: { parentId: parent.id, actor: actorName, scope: scopeDetail(token.scopeText), expiresAt: token.expiresAt },
    });
    return issued(token, accessToken, now);
  }

  /**
   * No log, no token: if the row cannot be committed, the token that was about to leave is
   * revoked (nobody holds it) and the request fails with the ledger's error.
   */
  async auditBeforeRelease(token: StoredToken, record: AuditRecord): Promise<void> {
    try {
      await this.deps.audit(record);
    } catch (e) {
      try {
        this.registry.revokeTree(token.id, this.deps.clock(), 'audit_unavailable');
      } catch {
        // Unreachable in practice (same disk); the token was never handed out either way.
      }
      throw e;
    }
    this.deps.emit({ type: 'tokens.changed' });
  }
}

function isActive(token: StoredToken, now: number): boolean {
  return token.revokedAt === null && token.expiresAt > now && (token.binding === 'bearer' || token.jkt !== null);
}

function isRedeemable(token: StoredToken, now: number): boolean {
  const codeLive = token.enrollmentExpiresAt !== null && token.enrollmentExpiresAt > now;
  return token.enrolledAt === null && token.revokedAt === null && token.expiresAt > now && codeLive;
}

function checkEnrollmentKey(token: StoredToken, jkt: string | null): void {
  if (token.binding === 'dpop') {
    if (jkt === null) throw new VkError('invalid_request', 'this token is bound to a key: send a DPoP proof');
    requireJkt(jkt);
  } else if (jkt !== null) {
    // The person chose bearer on purpose; binding it anyway would make the dashboard's label lie.
    throw new VkError('invalid_request', 'this is a bearer token: redeem it without a DPoP proof');
  }
}

function requireJkt(jkt: unknown): string {
  if (typeof jkt !== 'string' || !JKT.test(jkt)) throw new VkError('invalid_request', 'the key thumbprint is malformed');
  return jkt;
}

function agentToken(t: {
  readonly name: string;
  readonly origin: 'device';
  readonly scope: readonly ScopeItem[];
  readonly jkt: string;
  readonly now: number;
  readonly expiresAt: number;
}): StoredToken {
  return {
    id: newId(),
    name: t.name,
    origin: t.origin,
    scope: t.scope,
    scopeText: boundedScopeText(t.scope),
    binding: 'dpop',
    approval: 'vault',
    maxUses: null,
    requestsPerMinute: null,
    proxyOtherHosts: null,
    uses: 0,
    createdAt: t.now,
    expiresAt: t.expiresAt,
    revokedAt: null,
    enrolledAt: t.now,
    jkt: t.jkt,
    parentId: null,
    actors: [],
    lastUsedAt: null,
    enrollmentExpiresAt: null,
  };
}

function childToken(
  parent: StoredToken,
  c: { readonly scope: readonly ScopeItem[]; readonly jkt: string; readonly actorName: string; readonly now: number; readonly expiresAt: number },
): StoredToken {
  return {
    ...agentToken({ name: parent.name, origin: 'device', scope: c.scope, jkt: c.jkt, now: c.now, expiresAt: c.expiresAt }),
    origin: 'exchange',
    approval: parent.approval,
    maxUses: parent.maxUses,
    requestsPerMinute: parent.requestsPerMinute,
    // A sub-agent's token cannot tunnel where its parent's refuses.
    proxyOtherHosts: parent.proxyOtherHosts,
    parentId: parent.id,
    actors: [c.actorName, ...parent.actors],
  };
}

function issued(token: StoredToken, accessToken: string, now: number): IssuedToken {
  return {
    accessToken,
    tokenType: token.binding === 'dpop' ? 'DPoP' : 'Bearer',
    expiresIn: Math.max(0, Math.floor((token.expiresAt - now) / 1000)),
    scope: token.scopeText,
    tokenId: token.id,
  };
}
