import { describe, expect, it } from 'vitest';
import { formatScope, isSubScope, parseScope, scopeAllows, scopeMentionsVault, type ScopeItem } from '../../../src/core/auth/scopes.js';
import { isVkError } from '../../../src/shared/errors.js';

function expectInvalid(scope: string): void {
  let caught: unknown;
  try {
    parseScope(scope);
  } catch (e) {
    caught = e;
  }
  expect(isVkError(caught) && caught.code).toBe('invalid_scope');
}

const target = { vaultId: 'v1', vaultName: 'Personal', entryId: 'e1', entryTitle: 'GitHub token', action: 'read' } as const;

describe('parseScope', () => {
  it('parses vault and entry items, decoding percent-encoded refs', () => {
    expect(parseScope('vault:v1:read entry:Team%20Ops/a%3Ab%2Fc:use')).toEqual([
      { kind: 'vault', vault: 'v1', action: 'read' },
      { kind: 'entry', vault: 'Team Ops', entry: 'a:b/c', action: 'use' },
    ]);
  });

  it('decodes UTF-8 percent-encoding', () => {
    expect(parseScope('vault:Caf%C3%A9:use')).toEqual([{ kind: 'vault', vault: 'Café', action: 'use' }]);
  });

  it.each([
    '',
    ' vault:v1:read',
    'vault:v1:read  vault:v2:read',
    'vault:v1:write',
    'vault::read',
    'vault:v1',
    'vault:a:b:read',
    'entry:v1:read',
    'entry:v1/:read',
    'entry:v1/e1/x:read',
    'secret:v1:read',
    'vault:a b:read',
    'vault:a%2:read',
    'vault:%FF:read',
    'vault:a"b:read',
    'vault:a\\b:read',
    'vault:café:read',
    'VAULT:v1:read',
  ])('refuses %j', (scope) => expectInvalid(scope));

  it('refuses absurdly long scopes', () => {
    expectInvalid(Array.from({ length: 300 }, (_, i) => `vault:v${i}:read`).join(' '));
  });
});

describe('formatScope', () => {
  it('round-trips names with spaces, colons, slashes, percent signs and non-ASCII', () => {
    const items: ScopeItem[] = [
      { kind: 'vault', vault: 'Team: Ops/100%', action: 'read' },
      { kind: 'entry', vault: 'Ünïcode "x"', entry: 'a\\b c', action: 'use' },
    ];
    const text = formatScope(items);
    expect(text.split(' ')).toHaveLength(2);
    expect(text.startsWith('vault:Team%3A%20Ops%2F100%25:read')).toBe(true);
    expect(parseScope(text)).toEqual(items);
  });

  it('refuses empty refs', () => {
    expect(() => formatScope([{ kind: 'vault', vault: '', action: 'read' }])).toThrow();
  });
});

describe('scopeAllows', () => {
  it('matches a vault by id or by name, for the same action only', () => {
    expect(scopeAllows(parseScope('vault:v1:read'), target)).toBe(true);
    expect(scopeAllows(parseScope('vault:Personal:read'), target)).toBe(true);
    expect(scopeAllows(parseScope('vault:v1:use'), target)).toBe(false);
    expect(scopeAllows(parseScope('vault:v2:read'), target)).toBe(false);
  });

  it('matches an entry by id or by title, within the right vault', () => {
    expect(scopeAllows(parseScope('entry:v1/e1:read'), target)).toBe(true);
    expect(scopeAllows(parseScope('entry:Personal/GitHub%20token:read'), target)).toBe(true);
    expect(scopeAllows(parseScope('entry:v2/e1:read'), target)).toBe(false);
    expect(scopeAllows(parseScope('entry:v1/e2:read'), target)).toBe(false);
    expect(scopeAllows(parseScope('entry:v1/e1:use'), target)).toBe(false);
  });

  it('read does not imply use, nor use read', () => {
    expect(scopeAllows(parseScope('vault:v1:read'), { ...target, action: 'use' })).toBe(false);
    expect(scopeAllows(parseScope('vault:v1:use'), { ...target, action: 'use' })).toBe(true);
  });

  it('says which vaults a token may list', () => {
    const items = parseScope('entry:Personal/x:use vault:v9:read');
    expect(scopeMentionsVault(items, { id: 'v1', name: 'Personal' })).toBe(true);
    expect(scopeMentionsVault(items, { id: 'v9', name: 'Work' })).toBe(true);
    expect(scopeMentionsVault(items, { id: 'v2', name: 'Other' })).toBe(false);
  });
});

describe('isSubScope', () => {
  const parent = parseScope('vault:v1:read entry:v2/e1:use');

  it('accepts equal and narrower scopes', () => {
    expect(isSubScope(parent, parent)).toBe(true);
    expect(isSubScope(parseScope('entry:v1/anything:read'), parent)).toBe(true);
    expect(isSubScope(parseScope('entry:v2/e1:use'), parent)).toBe(true);
  });

  it('refuses wider scopes, other actions and other vaults', () => {
    expect(isSubScope(parseScope('vault:v2:use'), parent)).toBe(false);
    expect(isSubScope(parseScope('entry:v2/e2:use'), parent)).toBe(false);
    expect(isSubScope(parseScope('vault:v1:use'), parent)).toBe(false);
    expect(isSubScope(parseScope('entry:v1/e1:use'), parent)).toBe(false);
    expect(isSubScope(parseScope('vault:v1:read vault:v3:read'), parent)).toBe(false);
  });
});
