/**
 * Standard metadata, so an independent OAuth client can find everything: RFC 8414 (authorization
 * server), RFC 9728 (protected resource) and the JWKS. Endpoint URLs use the canonical base of
 * the listener asked (over the socket, `http://localhost`); `issuer` and `resource` are always the
 * TCP issuer, because that is what every token's `iss` and `aud` say.
 */
import type { JWK } from 'jose';
import { DPOP_ALGORITHMS } from '../auth/dpop-proof.js';
import type { TokenKey } from '../auth/token-key.js';
import type { EndpointRequest } from './endpoint-context.js';
import { PATHS } from './endpoint-paths.js';
import { sendOk } from './endpoint-response.js';
import { GRANT_TYPES } from './grant-types.js';

export function authorizationServerMetadata(issuer: string, base: string): Record<string, unknown> {
  return {
    issuer,
    token_endpoint: `${base}${PATHS.token}`,
    device_authorization_endpoint: `${base}${PATHS.deviceAuthorization}`,
    revocation_endpoint: `${base}${PATHS.revoke}`,
    jwks_uri: `${base}${PATHS.jwks}`,
    grant_types_supported: Object.values(GRANT_TYPES),
    response_types_supported: [],
    token_endpoint_auth_methods_supported: ['none'],
    revocation_endpoint_auth_methods_supported: ['none'],
    dpop_signing_alg_values_supported: [...DPOP_ALGORITHMS],
    // RFC 9728 §4: the one resource these tokens are for. No scopes_supported: scopes name the person's vaults.
    protected_resources: [issuer],
  };
}

export function protectedResourceMetadata(issuer: string): Record<string, unknown> {
  return {
    resource: issuer,
    resource_name: 'Valetkey agent endpoint',
    authorization_servers: [issuer],
    bearer_methods_supported: ['header'],
    dpop_signing_alg_values_supported: [...DPOP_ALGORITHMS],
    // Every token an agent obtains is DPoP-bound, but a bearer token the person opted into is accepted too.
    dpop_bound_access_tokens_required: false,
  };
}

/** The public half of the token-signing key, with its `kid`; never anything private. */
export function publicJwk(key: TokenKey): JWK {
  const { kty, crv, x } = key.publicKey.export({ format: 'jwk' });
  return { kty, crv, x, kid: key.keyId, alg: 'EdDSA', use: 'sig' };
}

export async function serveAuthorizationServer(r: EndpointRequest): Promise<void> {
  sendOk(r, authorizationServerMetadata(r.state.issuer, r.listener.base));
}

export async function serveProtectedResource(r: EndpointRequest): Promise<void> {
  sendOk(r, protectedResourceMetadata(r.state.issuer));
}

export async function serveJwks(r: EndpointRequest): Promise<void> {
  sendOk(r, { keys: [publicJwk(r.state.services.tokenKey())] });
}

/** RFC 8628's verification_uri, should a person open it: approval happens in the app, never here. */
export async function serveDevicePage(r: EndpointRequest): Promise<void> {
  sendOk(r, { message: 'Open the Valetkey app or dashboard to approve or deny this request. Compare the code it shows with the one the agent printed.' });
}
