/** How the tokens list groups and labels tokens. */
import type { TokenInfo, TokenStatus } from '../../shared/model.js';

export const TOKEN_FILTERS = ['active', 'expired', 'revoked', 'all'] as const;
export type TokenFilter = (typeof TOKEN_FILTERS)[number];

export const TOKEN_FILTER_LABELS: Readonly<Record<TokenFilter, string>> = {
  active: 'Active',
  expired: 'Expired',
  revoked: 'Revoked',
  all: 'All',
};

export const TOKEN_STATUS_LABELS: Readonly<Record<TokenStatus, string>> = {
  pending_enrollment: 'Waiting for enrollment',
  active: 'Active',
  expired: 'Expired',
  revoked: 'Revoked',
};

/** A token waiting for its agent to enroll counts as active: it can still be redeemed, and revoked. */
export function matchesFilter(token: TokenInfo, filter: TokenFilter): boolean {
  if (filter === 'all') return true;
  if (filter === 'active') return token.status === 'active' || token.status === 'pending_enrollment';
  return token.status === filter;
}

export function isLive(token: TokenInfo): boolean {
  return matchesFilter(token, 'active');
}

/** Live tokens first (they are the ones to watch and revoke), newest first within each group. */
export function sortTokens(tokens: readonly TokenInfo[]): TokenInfo[] {
  return [...tokens].sort((a, b) => Number(isLive(b)) - Number(isLive(a)) || Date.parse(b.createdAt) - Date.parse(a.createdAt));
}
