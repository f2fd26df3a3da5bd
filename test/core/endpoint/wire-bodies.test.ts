/**
 * Every JSON body of the agent endpoint is parsed with its schema (src/shared/wire-schemas) right
 * after the token and the reason are checked: a field of the wrong type is 400 invalid_request
 * naming the field, never quoting what was sent (it may be a secret typed into the wrong box), and
 * the refusal row keeps the reason the agent offered.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AgentClient } from '../../helpers/agent-client.js';
import { enrolledToken, openEndpointFixture, SECRETS, type EndpointFixture } from './endpoint-fixture.js';

const MARK = 'hunter2-typed-into-the-wrong-box';
const REASON = 'checking the wire bodies';
const B64 = 'AAAA';

interface Case {
  readonly path: string;
  readonly action: string;
  readonly json: Readonly<Record<string, unknown>>;
  readonly field: string;
  readonly reasoned: boolean;
}

const CASES: readonly Case[] = [
  { path: '/v1/resolve', action: 'secret.read', json: { refs: MARK, reason: REASON }, field: 'refs', reasoned: true },
  { path: '/v1/resolve', action: 'secret.read', json: { refs: [42, MARK], reason: REASON }, field: 'refs[0]', reasoned: true },
  { path: '/v1/fetch', action: 'secret.use', json: { request: MARK, reason: REASON }, field: 'request', reasoned: true },
  { path: '/v1/fetch', action: 'secret.use', json: { request: { url: [MARK] }, reason: REASON }, field: 'request.url', reasoned: true },
  { path: '/v1/fetch', action: 'secret.use', json: { request: { url: 'https://x.test/', headers: { 'X-Key': [MARK] } }, reason: REASON }, field: 'request.headers', reasoned: true },
  { path: '/v1/fetch', action: 'secret.use', json: { request: { url: 'https://x.test/', method: 'POST', body: 12 }, reason: REASON }, field: 'request.body', reasoned: true },
  { path: '/v1/proxy/request', action: 'secret.use', json: { request: { url: 'https://x.test/', method: 5 }, reason: REASON }, field: 'request.method', reasoned: true },
  { path: '/v1/credential', action: 'secret.read', json: { url: [MARK], reason: REASON }, field: 'url', reasoned: true },
  { path: '/v1/credential', action: 'secret.read', json: { url: 'https://x.test', username: { name: MARK }, reason: REASON }, field: 'username', reasoned: true },
  { path: '/v1/ssh/sign', action: 'secret.use', json: { publicKey: 5, data: B64, flags: 0, reason: REASON }, field: 'publicKey', reasoned: true },
  { path: '/v1/ssh/sign', action: 'secret.use', json: { publicKey: B64, data: [MARK], flags: 0, reason: REASON }, field: 'data', reasoned: true },
  { path: '/v1/ssh/sign', action: 'secret.use', json: { publicKey: B64, data: B64, flags: 0, bind: MARK, reason: REASON }, field: 'bind', reasoned: true },
  { path: '/v1/proxy/connect', action: 'proxy.connect', json: { host: 443, publicKey: B64 }, field: 'host', reasoned: false },
  { path: '/v1/proxy/connect', action: 'proxy.connect', json: { host: 'x.test', publicKey: [MARK] }, field: 'publicKey', reasoned: false },
];

let fx: EndpointFixture;
let agent: AgentClient;
let token: string;

beforeAll(async () => {
  fx = await openEndpointFixture();
  agent = await AgentClient.create(fx.tcp);
  ({ accessToken: token } = await enrolledToken(fx, agent, { actions: ['read', 'use'] }));
});
afterAll(async () => {
  await fx.close();
});

describe('a wire body with a field of the wrong type', () => {
  it.each(CASES)('$path with a wrong $field: 400 invalid_request naming it, audited with the reason', async (c) => {
    const before = (await fx.auditRows(c.action)).length;
    const res = await agent.call('POST', c.path, { token, json: c.json });
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('invalid_request');
    expect(res.body.error_description).toContain(`\`${c.field}\``);
    for (const secret of [MARK, ...Object.values(SECRETS)]) expect(res.text).not.toContain(secret);

    const rows = await fx.auditRows(c.action);
    expect(rows.length).toBe(before + 1);
    const row = rows.find((r) => r.outcome === 'refused' && r.errorCode === 'invalid_request' && r.seq === Math.max(...rows.map((x) => x.seq)));
    expect(row).toBeDefined();
    expect(row?.reason).toBe(c.reasoned ? REASON : null);
    for (const secret of [MARK, ...Object.values(SECRETS)]) expect(JSON.stringify(row)).not.toContain(secret);
  });

  it.each([
    ['/v1/device_authorization', { client_id: 'bot', scope: 'vault:Accounting:read', reason: REASON, lifespan: { s: MARK } }],
    ['/v1/token', { grant_type: 'urn:ietf:params:oauth:grant-type:device_code', device_code: [MARK], client_id: 'bot' }],
    ['/v1/revoke', { token: { value: MARK } }],
  ])('%s with a parameter that is not text: 400 invalid_request in RFC 6749 form, quoting nothing', async (path, json) => {
    const res = await agent.call('POST', path, { json, proof: false });
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('invalid_request');
    expect(typeof res.body.error_description).toBe('string');
    expect(res.text).not.toContain(MARK);
  });

  it('a missing reason is still reason_required, before the body is parsed', async () => {
    const res = await agent.call('POST', '/v1/resolve', { token, json: { refs: MARK } });
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('reason_required');
  });
});
