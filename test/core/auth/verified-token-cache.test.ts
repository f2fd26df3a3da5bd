import { describe, expect, it } from 'vitest';
import { issueAccessToken, type AccessTokenClaims } from '../../../src/core/auth/access-token.js';
import { VerifiedTokenCache } from '../../../src/core/auth/verified-token-cache.js';
import { makeTokenKey } from './jwt-forge.js';

const NOW = 1_750_000_000;
const key = makeTokenKey();
const opts = { key, issuer: 'iss', audience: 'aud', nowSeconds: NOW };

function claims(jti: string, exp = NOW + 60): AccessTokenClaims {
  return { iss: 'iss', sub: 'a', aud: 'aud', client_id: 'c', scope: 'vault:v:read', jti, iat: NOW - 1, exp, cnf: { jkt: 'B'.repeat(43) } };
}

describe('VerifiedTokenCache', () => {
  it('verifies once, then answers from the cache', async () => {
    const cache = new VerifiedTokenCache();
    const token = await issueAccessToken(key, claims('t1'));
    const first = await cache.verify(token, opts);
    expect(cache.size).toBe(1);
    expect(await cache.verify(token, opts)).toBe(first);
  });

  it('does not cache failures', async () => {
    const cache = new VerifiedTokenCache();
    await expect(cache.verify('a.b.c', opts)).rejects.toMatchObject({ code: 'invalid_token' });
    expect(cache.size).toBe(0);
  });

  it('stops answering once the token expires (same 5 s tolerance as verification)', async () => {
    const cache = new VerifiedTokenCache();
    const token = await issueAccessToken(key, claims('t2', NOW + 10));
    await cache.verify(token, opts);
    await expect(cache.verify(token, { ...opts, nowSeconds: NOW + 14 })).resolves.toMatchObject({ jti: 't2' });
    await expect(cache.verify(token, { ...opts, nowSeconds: NOW + 15 })).rejects.toMatchObject({ code: 'invalid_token' });
  });

  it('does not serve a hit verified under another key, issuer or audience', async () => {
    const cache = new VerifiedTokenCache();
    const token = await issueAccessToken(key, claims('t3'));
    await cache.verify(token, opts);
    await expect(cache.verify(token, { ...opts, audience: 'other' })).rejects.toMatchObject({ code: 'invalid_token' });
    await expect(cache.verify(token, { ...opts, key: makeTokenKey() })).rejects.toMatchObject({ code: 'invalid_token' });
  });

  it('evicts the least recently used entry when full', async () => {
    const cache = new VerifiedTokenCache({ maxEntries: 2 });
    const [a, b, c] = await Promise.all(['a', 'b', 'c'].map((jti) => issueAccessToken(key, claims(jti))));
    await cache.verify(a!, opts);
    await cache.verify(b!, opts);
    await cache.verify(a!, opts); // a is now the most recent
    await cache.verify(c!, opts); // evicts b
    expect(cache.size).toBe(2);
    expect([cache.has(a!), cache.has(b!), cache.has(c!)]).toEqual([true, false, true]);
  });
});
