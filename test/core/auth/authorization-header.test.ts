import { describe, expect, it } from 'vitest';
import { parseAuthorization, wwwAuthenticate } from '../../../src/core/auth/authorization-header.js';
import { headerValues } from '../../../src/core/auth/header-values.js';

const url = new URL('http://127.0.0.1:7777/v1/vaults');
const JWT = 'eyJhbGciOiJFZERTQSJ9.eyJzdWIiOiJ4In0.c2ln';

function code(fn: () => unknown): string {
  try {
    fn();
    return 'ok';
  } catch (e) {
    return (e as { code?: string }).code ?? 'not a VkError';
  }
}

describe('headerValues', () => {
  it('finds every value of a header, case-insensitively, in Node rawHeaders', () => {
    expect(headerValues(['Host', 'h', 'dpop', 'a', 'X', 'y', 'DPoP', 'b'], 'DPoP')).toEqual(['a', 'b']);
    expect(headerValues(['Host', 'h'], 'dpop')).toEqual([]);
  });
});

describe('parseAuthorization', () => {
  it('reads DPoP and Bearer credentials, scheme case-insensitive', () => {
    expect(parseAuthorization(['Authorization', `DPoP ${JWT}`], url)).toEqual({ scheme: 'DPoP', token: JWT });
    expect(parseAuthorization(['authorization', `dpop ${JWT}`], url)).toEqual({ scheme: 'DPoP', token: JWT });
    expect(parseAuthorization(['Authorization', `Bearer ${JWT}`], url)).toEqual({ scheme: 'Bearer', token: JWT });
  });

  it('reports no credentials as none', () => {
    expect(parseAuthorization(['Host', '127.0.0.1:7777'], url)).toEqual({ scheme: 'none' });
  });

  it.each([
    ['two headers', ['Authorization', `DPoP ${JWT}`, 'authorization', `DPoP ${JWT}`]],
    ['two schemes in two headers', ['Authorization', `Bearer ${JWT}`, 'Authorization', `DPoP ${JWT}`]],
    ['two schemes in one header', ['Authorization', `DPoP ${JWT}, Bearer ${JWT}`]],
    ['another scheme', ['Authorization', 'Basic dXNlcjpwdw==']],
    ['no token', ['Authorization', 'DPoP']],
    ['empty', ['Authorization', '']],
    ['bad characters', ['Authorization', 'DPoP a"b']],
  ])('refuses %s with invalid_request', (_name, raw) => {
    expect(code(() => parseAuthorization(raw, url))).toBe('invalid_request');
  });

  it('refuses an access_token in the query string, even with a good header', () => {
    const leaky = new URL(`http://127.0.0.1:7777/v1/vaults?access_token=${JWT}`);
    expect(code(() => parseAuthorization(['Authorization', `DPoP ${JWT}`], leaky))).toBe('invalid_request');
    expect(code(() => parseAuthorization([], leaky))).toBe('invalid_request');
  });
});

describe('wwwAuthenticate', () => {
  it('builds the DPoP challenge with and without an error', () => {
    expect(wwwAuthenticate()).toBe('DPoP algs="Ed25519 EdDSA ES256"');
    expect(wwwAuthenticate('invalid_dpop_proof')).toBe('DPoP error="invalid_dpop_proof", algs="Ed25519 EdDSA ES256"');
    expect(wwwAuthenticate('use_dpop_nonce')).toBe('DPoP error="use_dpop_nonce", algs="Ed25519 EdDSA ES256"');
    const metadata = 'http://127.0.0.1:7777/.well-known/oauth-protected-resource';
    expect(wwwAuthenticate('invalid_token', metadata)).toBe(`DPoP error="invalid_token", algs="Ed25519 EdDSA ES256", resource_metadata="${metadata}"`);
    expect(wwwAuthenticate(undefined, metadata)).toBe(`DPoP algs="Ed25519 EdDSA ES256", resource_metadata="${metadata}"`);
  });
});
