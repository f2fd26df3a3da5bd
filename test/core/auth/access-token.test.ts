import { describe, expect, it } from 'vitest';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { issueAccessToken, verifyAccessToken, type AccessTokenClaims } from '../../../src/core/auth/access-token.js';
import { isVkError } from '../../../src/shared/errors.js';
import { makeTokenKey } from './jwt-forge.js';

const NOW = 1_750_000_000;
const JKT = 'A'.repeat(43);
const key = makeTokenKey('key-2025');
const opts = { key, issuer: 'urn:valetkey:engine', audience: 'urn:valetkey:agent', nowSeconds: NOW };

function claims(overrides: Partial<AccessTokenClaims> = {}): AccessTokenClaims {
  return {
    iss: opts.issuer,
    sub: 'ci-bot',
    aud: opts.audience,
    client_id: 'client-1',
    scope: 'vault:v1:read',
    jti: 'tok-1',
    iat: NOW - 10,
    exp: NOW + 3600,
    cnf: { jkt: JKT },
    ...overrides,
  };
}

async function verifyCode(token: string, o = opts): Promise<string> {
  try {
    await verifyAccessToken(token, o);
    return 'ok';
  } catch (e) {
    return isVkError(e) ? e.code : 'not a VkError';
  }
}

describe('issueAccessToken', () => {
  it('signs an at+jwt with EdDSA and our kid', async () => {
    const token = await issueAccessToken(key, claims());
    expect(decodeProtectedHeader(token)).toEqual({ alg: 'EdDSA', typ: 'at+jwt', kid: 'key-2025' });
    expect(decodeJwt(token)).toMatchObject({ sub: 'ci-bot', cnf: { jkt: JKT }, scope: 'vault:v1:read' });
  });

  it('refuses unbound tokens unless labelled bearer, and bearer tokens with cnf', async () => {
    const { cnf: _cnf, ...unbound } = claims();
    await expect(issueAccessToken(key, unbound)).rejects.toThrow(TypeError);
    await expect(issueAccessToken(key, claims({ vk_bearer: true }))).rejects.toThrow(TypeError);
    const { cnf: _c, ...bearer } = claims({ vk_bearer: true });
    await expect(issueAccessToken(key, bearer)).resolves.toMatch(/\./);
  });

  it('refuses a malformed scope', async () => {
    await expect(issueAccessToken(key, claims({ scope: 'everything' }))).rejects.toThrow(TypeError);
  });
});

describe('verifyAccessToken', () => {
  it('returns the claims, cnf included, of a good token', async () => {
    const token = await issueAccessToken(key, claims({ act: { sub: 'parent-agent', act: { sub: 'root' } } }));
    const verified = await verifyAccessToken(token, opts);
    expect(verified).toEqual(claims({ act: { sub: 'parent-agent', act: { sub: 'root' } } }));
  });

  it('returns vk_bearer and no cnf for an opted-in bearer token', async () => {
    const { cnf: _cnf, ...bearer } = claims({ vk_bearer: true });
    const verified = await verifyAccessToken(await issueAccessToken(key, bearer), opts);
    expect(verified.vk_bearer).toBe(true);
    expect(verified.cnf).toBeUndefined();
  });

  it('allows 5 s of clock skew on exp, and no more', async () => {
    const token = await issueAccessToken(key, claims({ exp: NOW }));
    expect(await verifyCode(token, { ...opts, nowSeconds: NOW + 4 })).toBe('ok');
    expect(await verifyCode(token, { ...opts, nowSeconds: NOW + 5 })).toBe('invalid_token');
  });

  it('refuses a token signed by another key with the same kid', async () => {
    const other = makeTokenKey('key-2025');
    expect(await verifyCode(await issueAccessToken(other, claims()))).toBe('invalid_token');
  });

  it('refuses a kid that is not ours', async () => {
    const token = await issueAccessToken(key, claims());
    expect(await verifyCode(token, { ...opts, key: { ...key, keyId: 'other' } })).toBe('invalid_token');
  });

  it('refuses garbage and oversized input with the fixed message', async () => {
    for (const junk of ['', 'a.b.c', 'not-a-jwt', 'x'.repeat(10_000)]) {
      const error = await verifyAccessToken(junk, opts).catch((e: unknown) => e);
      expect(isVkError(error) && error.code).toBe('invalid_token');
      expect(isVkError(error) && error.detail).toBeUndefined();
    }
  });
});
