/**
 * The MCP server's small pure parts: vault names made into scope items the engine's own parser
 * reads back, and the HTTP transport's access secret.
 */
import { describe, expect, it } from 'vitest';
import { parseScope } from '../../src/core/auth/scopes.js';
import { isVkError } from '../../src/shared/errors.js';
import { encodeScopeRef } from '../../src/mcp/access-tool.js';
import { chooseSecret, secretMatches } from '../../src/mcp/http-secret.js';

describe('encodeScopeRef', () => {
  it.each(['Accounting', 'Team Ops', 'a/b:c', '100% "real"', 'back\\slash', 'Zürich 東京', 'x%2Fy'])('the engine parses vault:%s back to the same name', (name) => {
    const [item] = parseScope(`vault:${encodeScopeRef(name)}:read`);
    expect(item).toMatchObject({ kind: 'vault', vault: name, action: 'read' });
  });

  it('leaves plain names alone and encodes the rest', () => {
    expect(encodeScopeRef('ops-2024_eu')).toBe('ops-2024_eu');
    expect(encodeScopeRef('Team Ops')).toBe('Team%20Ops');
    expect(encodeScopeRef('a/b:c')).toBe('a%2Fb%3Ac');
  });
});

describe('the HTTP access secret', () => {
  it('is random per start unless pinned', () => {
    const a = chooseSecret(undefined);
    const b = chooseSecret('');
    expect(a).toMatch(/^vkmcp_[\w-]{43}$/);
    expect(a).not.toBe(b);
    expect(chooseSecret('p'.repeat(32))).toBe('p'.repeat(32));
  });

  it('refuses a pinned secret that is short or has spaces, without echoing it', () => {
    for (const bad of ['short-secret', `${'p'.repeat(20)} ${'q'.repeat(20)}`]) {
      let thrown: unknown;
      try {
        chooseSecret(bad);
      } catch (e) {
        thrown = e;
      }
      expect(isVkError(thrown) && thrown.code).toBe('invalid_request');
      expect((thrown as Error).message).not.toContain(bad);
    }
  });

  it('matches only `Bearer <secret>` exactly', () => {
    const s = chooseSecret(undefined);
    expect(secretMatches(`Bearer ${s}`, s)).toBe(true);
    expect(secretMatches(`bearer ${s}`, s)).toBe(true);
    expect(secretMatches(undefined, s)).toBe(false);
    expect(secretMatches(s, s)).toBe(false);
    expect(secretMatches(`Bearer ${s}x`, s)).toBe(false);
    expect(secretMatches(`Bearer ${s.slice(0, -1)}`, s)).toBe(false);
    expect(secretMatches(`DPoP ${s}`, s)).toBe(false);
    expect(secretMatches(`Bearer ${s} ${s}`, s)).toBe(false);
  });
});
