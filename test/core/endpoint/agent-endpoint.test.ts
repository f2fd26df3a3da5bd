/**
 * Starting and stopping the endpoint: where it listens, with which modes, the discovery file,
 * and the metadata an independent OAuth client reads (RFC 8414, RFC 9728, JWKS).
 */
import { existsSync, lstatSync, readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PATHS } from '../../../src/core/endpoint/endpoint-paths.js';
import { rawRequest } from '../../helpers/agent-client.js';
import { openEndpointFixture, type EndpointFixture } from './endpoint-fixture.js';

let fx: EndpointFixture;
beforeEach(async () => {
  fx = await openEndpointFixture();
});
afterEach(async () => {
  await fx.close();
});

const mode = (path: string): number => lstatSync(path).mode & 0o777;

describe('startAgentEndpoint', () => {
  it('listens on 127.0.0.1 with the issuer naming the bound port', () => {
    expect(fx.endpoint.port).toBeGreaterThan(0);
    expect(fx.endpoint.issuer).toBe(`http://127.0.0.1:${fx.endpoint.port}`);
    expect(fx.endpoint.url).toBe(fx.endpoint.issuer);
  });

  it('makes the socket 0600 inside a 0700 directory', () => {
    const path = fx.endpoint.socketPath;
    expect(lstatSync(path).isSocket()).toBe(true);
    expect(mode(path)).toBe(0o600);
    expect(mode(path.slice(0, path.lastIndexOf('/')))).toBe(0o700);
  });

  it('publishes a 0600 discovery file, and removes it and the socket on close', async () => {
    expect(mode(fx.discoveryFile)).toBe(0o600);
    expect(JSON.parse(readFileSync(fx.discoveryFile, 'utf8'))).toEqual({
      issuer: fx.endpoint.issuer,
      url: fx.endpoint.issuer,
      socketPath: fx.endpoint.socketPath,
      pid: process.pid,
      version: 'test',
    });
    await fx.endpoint.close();
    expect(existsSync(fx.discoveryFile)).toBe(false);
    expect(existsSync(fx.endpoint.socketPath)).toBe(false);
    await expect(rawRequest(fx.tcp, { method: 'GET', path: PATHS.jwks })).rejects.toThrow(/ECONNREFUSED/);
  });
});

describe('metadata', () => {
  it('serves RFC 8414 authorization server metadata with the listener’s own base', async () => {
    const base = fx.endpoint.issuer;
    const tcp = await rawRequest(fx.tcp, { method: 'GET', path: PATHS.authorizationServer });
    expect(tcp.status).toBe(200);
    expect(tcp.headers['cache-control']).toBe('no-store');
    expect(tcp.body).toEqual({
      issuer: base,
      token_endpoint: `${base}/v1/token`,
      device_authorization_endpoint: `${base}/v1/device_authorization`,
      revocation_endpoint: `${base}/v1/revoke`,
      jwks_uri: `${base}/jwks.json`,
      grant_types_supported: [
        'urn:ietf:params:oauth:grant-type:device_code',
        'urn:ietf:params:oauth:grant-type:token-exchange',
        'urn:valetkey:params:oauth:grant-type:enrollment',
      ],
      response_types_supported: [],
      token_endpoint_auth_methods_supported: ['none'],
      revocation_endpoint_auth_methods_supported: ['none'],
      dpop_signing_alg_values_supported: ['Ed25519', 'EdDSA', 'ES256'],
      protected_resources: [base],
    });
    const socket = await rawRequest(fx.socket, { method: 'GET', path: PATHS.authorizationServer });
    expect(socket.body.issuer).toBe(base);
    expect(socket.body.token_endpoint).toBe('http://localhost/v1/token');
  });

  it('serves RFC 9728 protected resource metadata', async () => {
    const res = await rawRequest(fx.tcp, { method: 'GET', path: PATHS.protectedResource });
    expect(res.body).toEqual({
      resource: fx.endpoint.issuer,
      resource_name: 'Valetkey agent endpoint',
      authorization_servers: [fx.endpoint.issuer],
      bearer_methods_supported: ['header'],
      dpop_signing_alg_values_supported: ['Ed25519', 'EdDSA', 'ES256'],
      dpop_bound_access_tokens_required: false,
    });
  });

  it('publishes the public signing key, and nothing private', async () => {
    const res = await rawRequest(fx.tcp, { method: 'GET', path: PATHS.jwks });
    const signer = fx.t.engine.signer;
    expect(res.body).toEqual({ keys: [{ kty: 'OKP', crv: 'Ed25519', x: signer?.publicJwk.x, kid: signer?.keyId, alg: 'EdDSA', use: 'sig' }] });
  });

  it('answers 404 for unknown paths and 405 with Allow for the wrong method', async () => {
    expect((await rawRequest(fx.tcp, { method: 'GET', path: '/v2/anything' })).status).toBe(404);
    const wrong = await rawRequest(fx.tcp, { method: 'POST', path: PATHS.jwks, headers: ['Content-Type', 'application/json'], body: '{}' });
    expect([wrong.status, wrong.headers.allow, wrong.body.error]).toEqual([405, 'GET', 'method_not_allowed']);
    const get = await rawRequest(fx.tcp, { method: 'GET', path: PATHS.token });
    expect([get.status, get.headers.allow]).toEqual([405, 'POST']);
  });
});
