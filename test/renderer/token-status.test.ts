import { describe, expect, it } from 'vitest';
import type { TokenInfo, TokenStatus } from '../../src/shared/model.js';
import { matchesFilter, sortTokens } from '../../src/renderer/lib/token-status.js';

function token(id: string, status: TokenStatus, createdAt: string): TokenInfo {
  return {
    id,
    name: id,
    origin: 'app',
    scope: '',
    vaultIds: [],
    actions: ['read'],
    binding: 'dpop',
    approval: 'vault',
    maxUses: null,
    requestsPerMinute: null,
    proxyOtherHosts: 'tunnel',
    uses: 0,
    status,
    createdAt,
    expiresAt: createdAt,
    revokedAt: null,
    lastUsedAt: null,
    enrolledAt: null,
    keyThumbprint: null,
    parentId: null,
    actors: [],
  };
}

const TOKENS = [
  token('old-active', 'active', '2025-01-01T00:00:00Z'),
  token('revoked', 'revoked', '2025-03-01T00:00:00Z'),
  token('pending', 'pending_enrollment', '2025-02-01T00:00:00Z'),
  token('expired', 'expired', '2025-04-01T00:00:00Z'),
];

describe('token list grouping', () => {
  it('counts a token waiting for enrollment as active', () => {
    expect(TOKENS.filter((t) => matchesFilter(t, 'active')).map((t) => t.id)).toEqual(['old-active', 'pending']);
    expect(TOKENS.filter((t) => matchesFilter(t, 'revoked')).map((t) => t.id)).toEqual(['revoked']);
    expect(TOKENS.filter((t) => matchesFilter(t, 'all'))).toHaveLength(4);
  });

  it('lists live tokens first, newest first within each group', () => {
    expect(sortTokens(TOKENS).map((t) => t.id)).toEqual(['pending', 'old-active', 'expired', 'revoked']);
  });
});
