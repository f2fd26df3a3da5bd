/** TokenRecord → TokenInfo, the shape the admin API and dashboards show. Never a secret. */
import type { TokenInfo, TokenStatus } from '../../shared/model.js';
import type { StoredToken } from './token-store.js';
import { scopeActions, scopeVaultIds } from './token-scope.js';

const iso = (ms: number): string => new Date(ms).toISOString();
const isoOrNull = (ms: number | null): string | null => (ms === null ? null : iso(ms));

/**
 * Revoked wins over expired. A token made in the app whose enrollment code ran out before any
 * agent redeemed it can never be used, so it shows as expired rather than pending forever.
 */
export function tokenStatus(token: StoredToken, now: number): TokenStatus {
  if (token.revokedAt !== null) return 'revoked';
  if (token.expiresAt <= now) return 'expired';
  if (token.origin !== 'app' || token.enrolledAt !== null) return 'active';
  return token.enrollmentExpiresAt !== null && token.enrollmentExpiresAt > now ? 'pending_enrollment' : 'expired';
}

export function toTokenInfo(token: StoredToken, now: number): TokenInfo {
  return {
    id: token.id,
    name: token.name,
    origin: token.origin,
    scope: token.scopeText,
    vaultIds: scopeVaultIds(token.scope),
    actions: scopeActions(token.scope),
    binding: token.binding,
    approval: token.approval,
    maxUses: token.maxUses,
    requestsPerMinute: token.requestsPerMinute,
    proxyOtherHosts: token.proxyOtherHosts ?? 'tunnel',
    uses: token.uses,
    status: tokenStatus(token, now),
    createdAt: iso(token.createdAt),
    expiresAt: iso(token.expiresAt),
    revokedAt: isoOrNull(token.revokedAt),
    lastUsedAt: isoOrNull(token.lastUsedAt),
    enrolledAt: isoOrNull(token.enrolledAt),
    keyThumbprint: token.jkt,
    parentId: token.parentId,
    actors: token.actors,
  };
}

/** Which statuses a list filter shows: "active" includes tokens still waiting for their agent. */
export function matchesFilter(status: TokenStatus, filter: 'active' | 'expired' | 'revoked' | 'all'): boolean {
  if (filter === 'all') return true;
  if (filter === 'active') return status === 'active' || status === 'pending_enrollment';
  return status === filter;
}
