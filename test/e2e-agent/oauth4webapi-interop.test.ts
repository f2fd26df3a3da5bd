/**
 * Interoperability with an independent OAuth client: panva's oauth4webapi, used as its
 * documentation shows, with no Valetkey client code and no header made by hand, against a real
 * `valetkey daemon` process. Discovery from the resource (RFC 9728) and of the server (RFC 8414);
 * the device flow (RFC 8628) without a proof on the device authorization request, the key bound by
 * the first DPoP poll (RFC 9449) with nonces handled by oauth4webapi's own DPoP handle; a person
 * approving through the admin API; POST /v1/resolve as a DPoP-protected resource request; token
 * exchange (RFC 8693) for a sub-agent and revocation (RFC 7009).
 */
import * as oauth from 'oauth4webapi';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keychainAvailability } from '../helpers/temp-home.js';
import { INTEROP_REF, INTEROP_SECRET, openInteropFixture, type InteropFixture } from './interop-fixture.js';

const keychain = keychainAvailability();
const insecure = { [oauth.allowInsecureRequests]: true } as const; // the issuer is http://127.0.0.1:<port>
const EXCHANGE = 'urn:ietf:params:oauth:grant-type:token-exchange';
const ACCESS_TOKEN = 'urn:ietf:params:oauth:token-type:access_token';

/** oauth4webapi's documented pattern: a use_dpop_nonce answer is retried once, the handle has cached the nonce. */
async function withNonceRetry<T>(attempt: () => Promise<T>): Promise<T> {
  try {
    return await attempt();
  } catch (e) {
    if (!oauth.isDPoPNonceError(e)) throw e;
    return attempt();
  }
}

/** Poll as RFC 8628 §3.5 says: authorization_pending waits the interval, slow_down adds 5 s. */
async function pollForToken(as: oauth.AuthorizationServer, client: oauth.Client, DPoP: oauth.DPoPHandle, device: oauth.DeviceAuthorizationResponse): Promise<oauth.TokenEndpointResponse> {
  let interval = device.interval ?? 5;
  for (;;) {
    try {
      return await withNonceRetry(async () => oauth.processDeviceCodeResponse(as, client, await oauth.deviceCodeGrantRequest(as, client, oauth.None(), device.device_code, { ...insecure, DPoP })));
    } catch (e) {
      if (!(e instanceof oauth.ResponseBodyError) || !['authorization_pending', 'slow_down'].includes(e.error)) throw e;
      if (e.error === 'slow_down') interval += 5;
      await new Promise((r) => setTimeout(r, interval * 1000));
    }
  }
}

function resolveRequest(accessToken: string, DPoP: oauth.DPoPHandle, base: URL, reason: string): Promise<Response> {
  const body = JSON.stringify({ refs: [INTEROP_REF], reason });
  return withNonceRetry(() => oauth.protectedResourceRequest(accessToken, 'POST', new URL('/v1/resolve', base), new Headers({ 'content-type': 'application/json' }), body, { ...insecure, DPoP }));
}

/** The challenge of a refused resource request, as oauth4webapi parses it. */
async function refusal(request: Promise<Response>): Promise<oauth.WWWAuthenticateChallenge | undefined> {
  try {
    await request;
  } catch (e) {
    if (e instanceof oauth.WWWAuthenticateChallengeError) return e.cause[0];
    throw e;
  }
  throw new Error('the request was not refused');
}

describe.skipIf(keychain.skip)(`oauth4webapi against a real engine ${keychain.reason}`, () => {
  let ix: InteropFixture;
  let as: oauth.AuthorizationServer;
  beforeAll(async () => {
    ix = await openInteropFixture();
    // A client that knows only the resource finds its authorization server (RFC 9728), then the server's metadata (RFC 8414).
    const resource = await oauth.processResourceDiscoveryResponse(ix.issuer, await oauth.resourceDiscoveryRequest(ix.issuer, insecure));
    expect(resource.authorization_servers).toEqual([ix.fx.discovery.issuer]);
    const issuer = new URL(resource.authorization_servers?.[0] ?? '');
    as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, { algorithm: 'oauth2', ...insecure }));
  });
  afterAll(async () => {
    await ix?.close();
  });

  /** The whole device flow as oauth4webapi's documentation shows it, then one resource request. */
  async function deviceFlow(clientId: string, alg: 'Ed25519' | 'ES256'): Promise<{ client: oauth.Client; DPoP: oauth.DPoPHandle; token: oauth.TokenEndpointResponse }> {
    expect(as.dpop_signing_alg_values_supported).toContain(alg);
    const client: oauth.Client = { client_id: clientId };
    const DPoP = oauth.DPoP(client, await oauth.generateKeyPair(alg));
    const params = new URLSearchParams({ scope: ix.scope, reason: `${clientId} interop check` });
    const device = await oauth.processDeviceAuthorizationResponse(as, client, await oauth.deviceAuthorizationRequest(as, client, oauth.None(), params, insecure));
    const polling = pollForToken(as, client, DPoP, device);
    await ix.approveWhenBound(clientId, device.user_code, await DPoP.calculateThumbprint());
    const token = await polling;
    expect([token.token_type, token.scope]).toEqual(['dpop', ix.scope]);
    const res = await resolveRequest(token.access_token, DPoP, ix.issuer, `${clientId} interop check`);
    expect([res.status, await res.json()]).toEqual([200, { values: { [INTEROP_REF]: INTEROP_SECRET } }]);
    return { client, DPoP, token };
  }

  it.each(['Ed25519', 'ES256'] as const)('device flow and a resource request with an %s key, the key bound by the first poll', async (alg) => {
    const clientId = `oauth4webapi-${alg.toLowerCase()}`;
    const { DPoP, token } = await deviceFlow(clientId, alg);
    const [row] = (await ix.fx.person.queryAudit({ action: 'secret.read', reasonContains: `${clientId} interop`, limit: 5 })).rows;
    expect(row).toMatchObject({ agent: clientId, keyThumbprint: await DPoP.calculateThumbprint(), outcome: 'allowed' });
    // The token is bound to that key: another oauth4webapi key gets invalid_token, and the challenge names the resource metadata.
    const thief: oauth.Client = { client_id: 'thief' };
    const other = oauth.DPoP(thief, await oauth.generateKeyPair(alg));
    const challenge = await refusal(resolveRequest(token.access_token, other, ix.issuer, 'a stolen token'));
    expect(challenge?.scheme).toBe('dpop');
    expect(challenge?.parameters).toMatchObject({ error: 'invalid_token', resource_metadata: `${ix.fx.discovery.issuer}/.well-known/oauth-protected-resource` });
  });

  it('token exchange for a sub-agent and revocation, through oauth4webapi', async () => {
    const { client, DPoP, token } = await deviceFlow('oauth4webapi-parent', 'Ed25519');
    const subClient: oauth.Client = { client_id: 'oauth4webapi-sub' };
    const subDPoP = oauth.DPoP(subClient, await oauth.generateKeyPair('ES256'));
    const params = new URLSearchParams({
      subject_token: token.access_token,
      subject_token_type: ACCESS_TOKEN,
      actor_jkt: await subDPoP.calculateThumbprint(),
      actor_name: 'oauth4webapi-sub',
      expires_in: '600',
    });
    const exchanged = await withNonceRetry(async () => oauth.processGenericTokenEndpointResponse(as, client, await oauth.genericTokenEndpointRequest(as, client, oauth.None(), EXCHANGE, params, { ...insecure, DPoP })));
    expect([exchanged.token_type, exchanged.issued_token_type, exchanged.scope]).toEqual(['dpop', ACCESS_TOKEN, ix.scope]);
    expect(exchanged.expires_in).toBeLessThanOrEqual(600);
    const child = await resolveRequest(exchanged.access_token, subDPoP, ix.issuer, 'the sub-agent reads');
    expect([child.status, await child.json()]).toEqual([200, { values: { [INTEROP_REF]: INTEROP_SECRET } }]);

    // RFC 7009: the parent gives up its token; what was exchanged from it goes with it.
    await oauth.processRevocationResponse(await oauth.revocationRequest(as, client, oauth.None(), token.access_token, insecure));
    expect((await refusal(resolveRequest(token.access_token, DPoP, ix.issuer, 'after revocation')))?.parameters.error).toBe('invalid_token');
    expect((await refusal(resolveRequest(exchanged.access_token, subDPoP, ix.issuer, 'after revocation')))?.parameters.error).toBe('invalid_token');
  });
});
