/**
 * docs/security.md attacks 29-34: the device flow, token exchange, approvals and reasons, driven over
 * the real endpoint, with the person's side (deciding) done through the admin API and its grant,
 * as the app does it. Protocol answers (authorization_pending, slow_down) leave no row; every
 * refusal does.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AdminEvent, DeviceRequestInfo } from '../../src/shared/model.js';
import { AgentClient, type AgentResponse } from '../helpers/agent-client.js';
import { BANK_REF, GITHUB_REF, SECRETS, expectNoRows, expectRefusalRow, expectRefused, openAttackFixture, resolveRefs, type AttackFixture } from './attack-fixture.js';

const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';
const EXCHANGE_GRANT = 'urn:ietf:params:oauth:grant-type:token-exchange';
const ACCESS_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:access_token';
const APPROVAL_TIMEOUT_MS = 1500;

let fx: AttackFixture;
const events: AdminEvent[] = [];
beforeAll(async () => {
  fx = await openAttackFixture({ approvalTimeoutMs: APPROVAL_TIMEOUT_MS });
  fx.t.engine.subscribe((e) => events.push(e));
});
afterAll(async () => {
  await fx.close();
});


/** Proofs are dated by the engine's clock, which these tests move. */
const iat = (): number => Math.floor(fx.now() / 1000);

function startDevice(agent: AgentClient): Promise<AgentResponse> {
  return agent.call('POST', '/v1/device_authorization', {
    form: { client_id: 'ci-bot', scope: `vault:${fx.accounting.id}:read`, reason: 'deploy the release' },
    proofOptions: { iat: iat() },
  });
}

function poll(agent: AgentClient, deviceCode: string): Promise<AgentResponse> {
  return agent.call('POST', '/v1/token', { form: { grant_type: DEVICE_GRANT, device_code: deviceCode, client_id: 'ci-bot' }, proofOptions: { iat: iat() } });
}

async function started(agent: AgentClient): Promise<{ deviceCode: string; request: DeviceRequestInfo }> {
  const res = await startDevice(agent);
  expect(res.status, res.text).toBe(200);
  const pending = await fx.t.admin.listDeviceRequests({ status: 'pending' });
  const request = pending.find((r) => r.keyThumbprint === agent.jkt);
  if (request === undefined) throw new Error('the request is not shown to the person');
  expect(request.userCode.replace('-', '')).toBe(String(res.body.user_code).replace('-', ''));
  return { deviceCode: res.body.device_code as string, request };
}

describe('device flow (29, 30)', () => {
  it('attack 29: polling faster than interval → slow_down; after expiry → expired_token; reused device_code → invalid_grant; person denies → access_denied', async () => {
    // Too fast: protocol answers, no rows.
    const fast = await AgentClient.create(fx.tcp);
    const a = await started(fast);
    const pending = await fx.attempt(() => poll(fast, a.deviceCode));
    expectRefused(pending.res, 400, 'authorization_pending');
    const slow = await fx.attempt(() => poll(fast, a.deviceCode));
    expectRefused(slow.res, 400, 'slow_down');
    expectNoRows([...pending.rows, ...slow.rows]);

    // Past its 600 s: expired_token, and the person's late approval gives nothing.
    fx.advance(601_000);
    try {
      const expired = await fx.attempt(() => poll(fast, a.deviceCode));
      expectRefused(expired.res, 400, 'expired_token');
      expectRefusalRow(expired.rows, 'expired_token');
      const late = await fx.t.admin.decideDeviceRequest({ grant: fx.t.grant, requestId: a.request.id, decision: 'approve' });
      expect([late.status, late.tokenId]).toEqual(['expired', null]);
    } finally {
      fx.advance(-601_000);
    }

    // Approved and redeemed once; the second redemption is invalid_grant.
    const once = await AgentClient.create(fx.tcp);
    const b = await started(once);
    await fx.t.admin.decideDeviceRequest({ grant: fx.t.grant, requestId: b.request.id, decision: 'approve' });
    const granted = await poll(once, b.deviceCode);
    expect([granted.status, granted.body.token_type]).toEqual([200, 'DPoP']);
    fx.advance(6_000);
    const reused = await fx.attempt(() => poll(once, b.deviceCode));
    expectRefused(reused.res, 400, 'invalid_grant');
    expectRefusalRow(reused.rows, 'invalid_grant');

    // Denied.
    const denied = await AgentClient.create(fx.tcp);
    const c = await started(denied);
    await fx.t.admin.decideDeviceRequest({ grant: fx.t.grant, requestId: c.request.id, decision: 'deny' });
    const no = await fx.attempt(() => poll(denied, c.deviceCode));
    expectRefused(no.res, 400, 'access_denied');
    expectRefusalRow(no.rows, 'access_denied');
    expect((await fx.t.admin.listTokens({})).filter((t) => t.keyThumbprint === denied.jkt)).toEqual([]);
  });

  it('attack 30: 100 device requests in a minute → 429, at most 3 prompts shown', async () => {
    const flood = await AgentClient.create(fx.tcp);
    const shownBefore = events.filter((e) => e.type === 'device.requested').length;
    const before = await fx.mark();
    const statuses: number[] = [];
    for (let i = 0; i < 100; i++) {
      const res = await startDevice(flood);
      statuses.push(res.status);
      if (res.status !== 200) expectRefused(res, 429, 'rate_limited');
    }
    expect(statuses.filter((s) => s === 200)).toHaveLength(3);
    expect(statuses.filter((s) => s === 429)).toHaveLength(97);
    expect(events.filter((e) => e.type === 'device.requested').length - shownBefore).toBe(3);
    expect((await fx.t.admin.listDeviceRequests({ status: 'pending' })).filter((r) => r.keyThumbprint === flood.jkt)).toHaveLength(3);
    const rows = await fx.rowsSince(before);
    expect(rows.filter((r) => r.action === 'device.request' && r.outcome === 'ok')).toHaveLength(3);
    // Refusals are audited but rate-limited, so the flood cannot fill the disk.
    const refused = rows.filter((r) => r.outcome === 'refused');
    expect(refused.every((r) => r.errorCode === 'rate_limited' && r.keyThumbprint === flood.jkt)).toBe(true);
    expect(refused.length).toBeGreaterThan(0);
    expect(refused.length).toBeLessThanOrEqual(30);
  });
});

describe('token exchange (31)', () => {
  it('attack 31: token exchange asking for more scope → invalid_scope', async () => {
    const { agent, token, tokenId } = await fx.enrolled({ entries: [{ vault: fx.accounting.id, entry: fx.bank.id }] });
    const sub = await AgentClient.create(fx.tcp);
    const base = { grant_type: EXCHANGE_GRANT, subject_token: token, subject_token_type: ACCESS_TOKEN_TYPE, actor_jkt: sub.jkt, actor_name: 'sub-bot' };
    const wider = [`vault:${fx.accounting.id}:read`, `vault:${fx.personal.id}:read`, `entry:${fx.accounting.id}/${fx.bank.id}:use`, `entry:${fx.accounting.id}/${fx.victim.id}:read`];
    for (const scope of wider) {
      const { res, rows } = await fx.attempt(() => agent.call('POST', '/v1/token', { form: { ...base, scope }, proofOptions: { accessToken: token } }));
      expectRefused(res, 400, 'invalid_scope');
      expect(res.body.access_token).toBeUndefined();
      expectRefusalRow(rows, 'invalid_scope', tokenId);
    }
    // The control: the same scope is allowed, and the child reaches no further.
    const same = await agent.call('POST', '/v1/token', { form: { ...base, scope: `entry:${fx.accounting.id}/${fx.bank.id}:read` }, proofOptions: { accessToken: token } });
    expect(same.status, same.text).toBe(200);
    expectRefused(await resolveRefs(sub, same.body.access_token, ['vk://Accounting/Victim/password']), 403, 'insufficient_scope');
  });
});

describe('approvals (32)', () => {
  it('attack 32: an approval waiting past its timeout → approval_timeout; the late click does nothing', async () => {
    const { agent, token, tokenId } = await fx.enrolled({ vaults: [fx.personal.id] });
    const { res, rows } = await fx.attempt(() => resolveRefs(agent, token, [GITHUB_REF]));
    expectRefused(res, 408, 'approval_timeout');
    expectRefusalRow(rows, 'approval_timeout', tokenId);
    expect(rows.filter((r) => r.action === 'approval.timeout').map((r) => [r.actor, r.errorCode, r.tokenId])).toEqual([['engine', 'approval_timeout', tokenId]]);
    const [expired] = await fx.t.admin.listApprovals({ status: 'all', limit: 1 });
    expect(expired?.status).not.toBe('pending');
    expect(expired?.tokenId).toBe(tokenId);

    const late = await fx.t.admin.decideApproval({ grant: fx.t.grant, approvalId: expired?.id ?? '', decision: 'allow_for', minutes: 60 });
    expect(late.status).toBe(expired?.status);
    expect(late.decision).toBeNull();
    // The late "allow for 60 minutes" granted nothing: the next access asks again, and times out again.
    const again = await fx.attempt(() => resolveRefs(agent, token, [GITHUB_REF]));
    expectRefused(again.res, 408, 'approval_timeout');
    expectRefusalRow(again.rows, 'approval_timeout', tokenId);
  });
});

describe('reasons (33)', () => {
  it('attack 33: secret access without a reason → 400 reason_required, before anyone is asked', async () => {
    const { agent, token, tokenId } = await fx.enrolled({ vaults: [fx.accounting.id, fx.personal.id] });
    for (const reason of [null, '', '   ', 'r'.repeat(301), 42]) {
      const { res, rows } = await fx.attempt(() =>
        agent.call('POST', '/v1/resolve', { token, json: { refs: [BANK_REF, GITHUB_REF], ...(reason === null ? {} : { reason }) } }),
      );
      expectRefused(res, 400, 'reason_required');
      expectRefusalRow(rows, 'reason_required', tokenId);
      expect(fx.t.engine.approvals.list('pending')).toEqual([]);
    }
  });
});

describe('use without exposure (34)', () => {
  /** A local HTTP service that counts every connection and request made to it. */
  async function listening(): Promise<{ port: number; connections: number; requests: string[]; close(): Promise<void> }> {
    const seen = { connections: 0, requests: [] as string[] };
    const server = createServer((req, res) => {
      seen.requests.push(String(req.headers.authorization));
      res.end('ok');
    });
    server.on('connection', () => (seen.connections += 1));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    return {
      port,
      get connections() {
        return seen.connections;
      },
      requests: seen.requests,
      close: () => new Promise((resolve) => server.close(() => resolve())),
    };
  }

  it('attack 34: /v1/fetch to a host not allowed for the entry → 403, nothing sent anywhere', async () => {
    const allowed = await listening();
    const elsewhere = await listening();
    try {
      await fx.t.admin.createEntry({
        grant: fx.t.grant,
        vaultId: fx.accounting.id,
        entry: { title: 'Api', kind: 'api_key', fields: { apiKey: SECRETS.api }, allowedHosts: [`127.0.0.1:${allowed.port}`] },
      });
      const { agent, token, tokenId } = await fx.enrolled({ actions: ['use'] });
      const send = (url: string, extra: Record<string, string> = {}) =>
        agent.call('POST', '/v1/fetch', { token, json: { request: { url, headers: { authorization: 'Bearer {{vk://Accounting/Api/api_key}}', ...extra } }, reason: 'call the api' } });
      const hosts = [`http://127.0.0.1:${elsewhere.port}/steal`, `http://localhost:${allowed.port}/same-port-other-name`, `http://127.0.0.1:${allowed.port + 1}/other-port`];
      for (const url of hosts) {
        const { res, rows } = await fx.attempt(() => send(url));
        expectRefused(res, 403, 'host_not_allowed');
        expect(res.text).not.toContain(SECRETS.api);
        expectRefusalRow(rows, 'host_not_allowed', tokenId);
        expect(rows.filter((r) => r.action === 'secret.use' && r.outcome === 'allowed')).toEqual([]);
      }
      // Two entries, one of which does not allow the host: refused as a whole.
      const both = await fx.attempt(() => send(`http://127.0.0.1:${allowed.port}/both`, { 'x-other': '{{vk://Accounting/Bank/password}}' }));
      expectRefused(both.res, 403, 'host_not_allowed');
      expect([elsewhere.connections, allowed.connections]).toEqual([0, 0]);
      // The control: the allowed host gets the value, the agent gets it redacted.
      const ok = await send(`http://127.0.0.1:${allowed.port}/ok`);
      expect(ok.status, ok.text).toBe(200);
      expect(ok.text).not.toContain(SECRETS.api);
      expect(allowed.requests).toEqual([`Bearer ${SECRETS.api}`]);
    } finally {
      await Promise.all([allowed.close(), elsewhere.close()]);
    }
  });
});
