import { describe, expect, it } from 'vitest';
import { DashboardLogins, LOGIN_CODE_TTL_MS, SESSION_IDLE_MS } from '../../../src/core/dashboard/dashboard-logins.js';

function logins() {
  let now = 1_000_000;
  const l = new DashboardLogins(() => now);
  l.serve('http://127.0.0.1:4567');
  return { l, advance: (ms: number) => (now += ms) };
}

const codeOf = (url: string): string => new URL(url).searchParams.get('code') ?? '';

describe('DashboardLogins', () => {
  it('mints distinct codes for its own origin, each good once, until it expires', () => {
    const { l, advance } = logins();
    const a = l.newLoginUrl();
    const b = l.newLoginUrl();
    expect(a.url.startsWith('http://127.0.0.1:4567/login?code=')).toBe(true);
    expect(codeOf(a.url)).not.toBe(codeOf(b.url));
    expect(l.redeem(codeOf(a.url))).toBeDefined();
    expect(l.redeem(codeOf(a.url))).toBeUndefined();
    advance(LOGIN_CODE_TTL_MS);
    expect(l.redeem(codeOf(b.url))).toBeUndefined();
  });

  it('keeps at most 16 unspent codes, dropping the oldest', () => {
    const { l } = logins();
    const urls = Array.from({ length: 17 }, () => l.newLoginUrl().url);
    expect(l.redeem(codeOf(urls[0] ?? ''))).toBeUndefined();
    expect(l.redeem(codeOf(urls[16] ?? ''))).toBeDefined();
  });

  it('ends a session after 12 hours idle, and every session when it stops serving', () => {
    const { l, advance } = logins();
    const s = l.redeem(codeOf(l.newLoginUrl().url)) ?? '';
    advance(SESSION_IDLE_MS - 1);
    expect(l.touch(s)).toBe(true);
    advance(SESSION_IDLE_MS - 1);
    expect(l.touch(s)).toBe(true);
    advance(SESSION_IDLE_MS);
    expect(l.touch(s)).toBe(false);
    const t = l.redeem(codeOf(l.newLoginUrl().url)) ?? '';
    l.stopServing();
    expect(l.touch(t)).toBe(false);
    expect(() => l.newLoginUrl()).toThrow(expect.objectContaining({ code: 'dashboard_unavailable' }));
  });
});
