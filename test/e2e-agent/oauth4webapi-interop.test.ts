/**
 * Interoperability with an independent OAuth client: panva's oauth4webapi, with no Valetkey client
 * code, against the real agent endpoint of a real engine. Discovery (RFC 8414), the device flow
 * (RFC 8628) with DPoP (RFC 9449) and its nonces handled by oauth4webapi's own DPoP handle, a
 * person approving through the admin API while the client polls, then POST /v1/resolve as a
 * DPoP-protected resource request.
 *
 * One step oauth4webapi cannot take by itself: it sends DPoP proofs to the token endpoint (as
 * RFC 9449 defines) but has no DPoP option for the device authorization request, where Valetkey
 * requires a proof (SECURITY.md: the poll must come from the same key as the request). That single
 * proof is signed here with jose, from the same key pair, and passed through oauth4webapi's
 * `headers` option. Everything else is oauth4webapi and fetch.
 */
import { randomBytes } from 'node:crypto';
import { SignJWT, exportJWK } from 'jose';
import * as oauth from 'oauth4webapi';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BANK_REF, SECRETS, openAttackFixture, type AttackFixture } from '../security/attack-fixture.js';

const insecure = { [oauth.allowInsecureRequests]: true } as const; // the issuer is http://127.0.0.1:<port>

let fx: AttackFixture;
beforeAll(async () => {
  fx = await openAttackFixture();
});
afterAll(async () => {
  await fx.close();
});

/** The device authorization request's proof (see the header comment), for the server's nonce. */
async function deviceRequestProof(keyPair: CryptoKeyPair, htu: string, nonce: string | undefined): Promise<string> {
  return new SignJWT({ jti: randomBytes(16).toString('base64url'), htm: 'POST', htu, ...(nonce === undefined ? {} : { nonce }) })
    .setProtectedHeader({ typ: 'dpop+jwt', alg: 'ES256', jwk: await exportJWK(keyPair.publicKey) })
    .setIssuedAt()
    .sign(keyPair.privateKey);
}

async function requestDeviceAuthorization(as: oauth.AuthorizationServer, client: oauth.Client, keyPair: CryptoKeyPair, params: URLSearchParams): Promise<oauth.DeviceAuthorizationResponse> {
  const htu = as.device_authorization_endpoint ?? '';
  let nonce: string | undefined;
  for (let attempt = 0; ; attempt++) {
    const headers = { dpop: await deviceRequestProof(keyPair, htu, nonce) };
    try {
      return await oauth.processDeviceAuthorizationResponse(as, client, await oauth.deviceAuthorizationRequest(as, client, oauth.None(), params, { ...insecure, headers }));
    } catch (e) {
      if (attempt > 0 || !oauth.isDPoPNonceError(e)) throw e;
      nonce = (e as oauth.ResponseBodyError).response.headers.get('dpop-nonce') ?? undefined;
    }
  }
}

/** Poll as RFC 8628 §3.5 says, retrying once on use_dpop_nonce (the handle has cached the nonce). */
async function pollForToken(as: oauth.AuthorizationServer, client: oauth.Client, DPoP: oauth.DPoPHandle, device: oauth.DeviceAuthorizationResponse, seen: string[]): Promise<oauth.TokenEndpointResponse> {
  let interval = device.interval ?? 5;
  for (;;) {
    try {
      const res = await oauth.deviceCodeGrantRequest(as, client, oauth.None(), device.device_code, { ...insecure, DPoP });
      return await oauth.processDeviceCodeResponse(as, client, res);
    } catch (e) {
      if (oauth.isDPoPNonceError(e)) {
        seen.push('use_dpop_nonce');
        continue;
      }
      if (!(e instanceof oauth.ResponseBodyError) || !['authorization_pending', 'slow_down'].includes(e.error)) throw e;
      seen.push(e.error);
      if (e.error === 'slow_down') interval += 5;
      await new Promise((r) => setTimeout(r, interval * 1000));
    }
  }
}

describe('oauth4webapi against the agent endpoint', () => {
  it('discovers the server, gets a DPoP-bound token through the device flow while a person approves, and resolves a secret', async () => {
    const issuer = new URL(fx.endpoint.issuer);
    const as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, { algorithm: 'oauth2', ...insecure }));
    expect(as.dpop_signing_alg_values_supported).toContain('ES256');
    expect(as.grant_types_supported).toContain('urn:ietf:params:oauth:grant-type:device_code');

    const client: oauth.Client = { client_id: 'interop-bot' };
    const keyPair = await oauth.generateKeyPair('ES256', { extractable: true });
    const DPoP = oauth.DPoP(client, keyPair);
    const params = new URLSearchParams({ scope: `vault:${fx.accounting.id}:read`, reason: 'oauth4webapi interop check' });
    const device = await requestDeviceAuthorization(as, client, keyPair, params);
    expect(device.user_code).toMatch(/^[BCDFGHJKLMNPQRSTVWXZ]{4}-?[BCDFGHJKLMNPQRSTVWXZ]{4}$/);

    const seen: string[] = [];
    const polling = pollForToken(as, client, DPoP, device, seen);
    // The person, meanwhile: the prompt shows the same code and the key; they approve with their passphrase.
    for (let i = 0; i < 400 && !seen.includes('authorization_pending'); i++) await new Promise((r) => setTimeout(r, 25));
    const request = (await fx.t.admin.listDeviceRequests({ status: 'pending' })).find((r) => r.clientName === 'interop-bot');
    expect(request?.userCode.replace('-', '')).toBe(device.user_code.replace('-', ''));
    expect(request?.keyThumbprint).toBe(await DPoP.calculateThumbprint());
    await fx.t.admin.decideDeviceRequest({ grant: fx.t.grant, requestId: request?.id ?? '', decision: 'approve' });
    const token = await polling;
    expect(seen).toEqual(['use_dpop_nonce', 'authorization_pending']);
    expect(token.token_type).toBe('dpop');
    expect(token.scope).toBe(`vault:${fx.accounting.id}:read`);

    const resolveUrl = new URL('/v1/resolve', fx.endpoint.issuer);
    const body = JSON.stringify({ refs: [BANK_REF], reason: 'oauth4webapi interop check' });
    const res = await oauth.protectedResourceRequest(token.access_token, 'POST', resolveUrl, new Headers({ 'content-type': 'application/json' }), body, { ...insecure, DPoP });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ values: { [BANK_REF]: SECRETS.bank } });

    // The token is bound to oauth4webapi's key: the same token without its proof is refused.
    const bare = await fetch(resolveUrl, { method: 'POST', headers: { authorization: `DPoP ${token.access_token}`, 'content-type': 'application/json' }, body });
    expect([bare.status, ((await bare.json()) as { error: string }).error]).toEqual([401, 'invalid_dpop_proof']);
    const [row] = (await fx.t.admin.queryAudit({ action: 'secret.read', reasonContains: 'oauth4webapi', limit: 5 })).rows;
    expect(row).toMatchObject({ agent: 'interop-bot', keyThumbprint: await DPoP.calculateThumbprint(), outcome: 'allowed' });
  });
});
