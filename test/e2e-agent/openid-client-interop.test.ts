/**
 * Interoperability with panva's openid-client v6, used as its documentation shows, with no
 * Valetkey client code and no header made by hand, against a real `valetkey daemon` process:
 * discovery (RFC 8414), the device flow (RFC 8628) through its own polling loop with DPoP
 * (RFC 9449, nonces retried by the library), a resource request, token exchange (RFC 8693) and
 * revocation (RFC 7009). A person approves through the admin API.
 */
import * as client from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keychainAvailability } from '../helpers/temp-home.js';
import { INTEROP_REF, INTEROP_SECRET, openInteropFixture, type InteropFixture } from './interop-fixture.js';

const keychain = keychainAvailability();
const EXCHANGE = 'urn:ietf:params:oauth:grant-type:token-exchange';
const ACCESS_TOKEN = 'urn:ietf:params:oauth:token-type:access_token';

describe.skipIf(keychain.skip)(`openid-client against a real engine ${keychain.reason}`, () => {
  let ix: InteropFixture;
  beforeAll(async () => {
    ix = await openInteropFixture();
  });
  afterAll(async () => {
    await ix?.close();
  });

  /** A public client: the agent's name is its client_id; http is allowed because the issuer is loopback. */
  function configure(clientId: string): Promise<client.Configuration> {
    return client.discovery(ix.issuer, clientId, undefined, client.None(), { algorithm: 'oauth2', execute: [client.allowInsecureRequests] });
  }

  function resolve(config: client.Configuration, accessToken: string, DPoP: client.DPoPHandle, reason: string): Promise<Response> {
    const body = JSON.stringify({ refs: [INTEROP_REF], reason });
    return client.fetchProtectedResource(config, accessToken, new URL('/v1/resolve', ix.issuer), 'POST', body, new Headers({ 'content-type': 'application/json' }), { DPoP });
  }

  /**
   * The device flow as openid-client runs it. `bind: 'first poll'` is what a client that sends no
   * proof with its device request gets: the key is bound by its first poll, one polling interval
   * later. `bind: 'dpop_jkt'` names the key up front (RFC 9449 §10), so the person can approve at once.
   */
  async function deviceFlow(clientId: string, alg: 'Ed25519' | 'ES256', bind: 'first poll' | 'dpop_jkt') {
    const config = await configure(clientId);
    expect(config.serverMetadata().dpop_signing_alg_values_supported).toContain(alg);
    const DPoP = client.getDPoPHandle(config, await client.randomDPoPKeyPair(alg));
    const named: Record<string, string> = bind === 'dpop_jkt' ? { dpop_jkt: await DPoP.calculateThumbprint() } : {};
    const device = await client.initiateDeviceAuthorization(config, { scope: ix.scope, reason: `${clientId} interop check`, ...named });
    const polling = client.pollDeviceAuthorizationGrant(config, device, undefined, { DPoP });
    await ix.approveWhenBound(clientId, device.user_code, await DPoP.calculateThumbprint());
    const tokens = await polling;
    expect([tokens.token_type, tokens.scope]).toEqual(['dpop', ix.scope]);
    const res = await resolve(config, tokens.access_token, DPoP, `${clientId} interop check`);
    expect([res.status, await res.json()]).toEqual([200, { values: { [INTEROP_REF]: INTEROP_SECRET } }]);
    return { config, DPoP, tokens };
  }

  it.each([
    ['Ed25519', 'first poll'],
    ['ES256', 'dpop_jkt'],
  ] as const)('device flow and a resource request with an %s key, bound by its %s', async (alg, bind) => {
    const clientId = `openid-client-${alg.toLowerCase()}`;
    const { DPoP } = await deviceFlow(clientId, alg, bind);
    const [row] = (await ix.fx.person.queryAudit({ action: 'secret.read', reasonContains: `${clientId} interop`, limit: 5 })).rows;
    expect(row).toMatchObject({ agent: clientId, keyThumbprint: await DPoP.calculateThumbprint(), outcome: 'allowed' });
  });

  it('token exchange for a sub-agent and revocation, through openid-client', async () => {
    const { config, DPoP, tokens } = await deviceFlow('openid-client-parent', 'ES256', 'dpop_jkt');
    const subConfig = await configure('openid-client-sub');
    const subDPoP = client.getDPoPHandle(subConfig, await client.randomDPoPKeyPair('Ed25519'));
    const exchanged = await client.genericGrantRequest(
      config,
      EXCHANGE,
      { subject_token: tokens.access_token, subject_token_type: ACCESS_TOKEN, actor_jkt: await subDPoP.calculateThumbprint(), actor_name: 'openid-client-sub', expires_in: '600' },
      { DPoP },
    );
    expect([exchanged.token_type, exchanged.issued_token_type, exchanged.scope]).toEqual(['dpop', ACCESS_TOKEN, ix.scope]);
    const child = await resolve(subConfig, exchanged.access_token, subDPoP, 'the sub-agent reads');
    expect([child.status, await child.json()]).toEqual([200, { values: { [INTEROP_REF]: INTEROP_SECRET } }]);

    await client.tokenRevocation(config, tokens.access_token);
    for (const [cfg, token, handle] of [[config, tokens.access_token, DPoP], [subConfig, exchanged.access_token, subDPoP]] as const) {
      const refused = await resolve(cfg, token, handle, 'after revocation').then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(refused).toBeInstanceOf(client.WWWAuthenticateChallengeError);
      expect((refused as client.WWWAuthenticateChallengeError).cause[0]?.parameters.error).toBe('invalid_token');
    }
  });
});
