import { describe, expect, it } from 'vitest';
import { isPromptRoute, parseRoute, routeHref, type Route } from '../../src/renderer/lib/route.js';

describe('hash routes', () => {
  it.each<[string, Route]>([
    ['', { page: 'vaults' }],
    ['#/', { page: 'vaults' }],
    ['#/nonsense', { page: 'vaults' }],
    ['#/vaults', { page: 'vaults' }],
    ['#/vaults/v%2F1', { page: 'vaults', vaultId: 'v/1' }],
    ['#/vaults/v1/e1', { page: 'vaults', vaultId: 'v1', entryId: 'e1' }],
    ['#/tokens', { page: 'tokens' }],
    ['#/tokens/new', { page: 'token-new' }],
    ['#/activity', { page: 'activity' }],
    ['#/activity?token=t%201', { page: 'activity', tokenId: 't 1' }],
    ['#/approvals', { page: 'approvals' }],
    ['#/settings', { page: 'settings' }],
    ['#/prompt/ap_1', { page: 'prompt', approvalId: 'ap_1' }],
    ['#/prompt/device/dr_1', { page: 'device-prompt', requestId: 'dr_1' }],
    ['#/prompt/', { page: 'approvals' }],
    ['#/vaults/%E0%A4%A', { page: 'vaults' }],
  ])('%s', (hash, route) => {
    expect(parseRoute(hash)).toEqual(route);
  });

  it('round-trips every route through its href', () => {
    const routes: Route[] = [
      { page: 'vaults' },
      { page: 'vaults', vaultId: 'a/b c' },
      { page: 'vaults', vaultId: 'v', entryId: 'e?x' },
      { page: 'tokens' },
      { page: 'token-new' },
      { page: 'activity', tokenId: 'tok&1' },
      { page: 'approvals' },
      { page: 'settings' },
      { page: 'prompt', approvalId: 'a#1' },
      { page: 'device-prompt', requestId: 'd1' },
    ];
    for (const r of routes) expect(parseRoute(routeHref(r))).toEqual(r);
  });

  it('knows which pages are prompt windows', () => {
    expect(isPromptRoute(parseRoute('#/prompt/x'))).toBe(true);
    expect(isPromptRoute(parseRoute('#/prompt/device/x'))).toBe(true);
    expect(isPromptRoute(parseRoute('#/approvals'))).toBe(false);
  });
});
