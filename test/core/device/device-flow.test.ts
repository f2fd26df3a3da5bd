import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { deviceHandlers } from '../../../src/core/admin/device-handlers.js';
import { USER_CODE_ALPHABET } from '../../../src/core/device/device-codes.js';
import type { CallContext } from '../../../src/shared/admin-api.js';
import { agentKey, errorCode, openAgentFixture, type AgentFixture } from '../approvals/agent-fixture.js';
import { parsedCall } from '../../helpers/parsed-call.js';

const SECOND = 1000;
const CTX: CallContext = { via: 'in-process', personPresent: false };
const USER_CODE = new RegExp(`^[${USER_CODE_ALPHABET}]{4}-[${USER_CODE_ALPHABET}]{4}$`);

describe('DeviceFlowImpl', () => {
  let fx: AgentFixture;
  let jkt: string;
  beforeEach(async () => {
    fx = await openAgentFixture();
    jkt = (await agentKey()).jkt;
  });
  afterEach(async () => {
    await fx.close();
  });

  const request = (over: Partial<{ clientId: string; jkt: string; scope: string; lifespanSeconds: number; reason: string }> = {}) => ({
    clientId: 'build-bot',
    jkt,
    scope: 'vault:Ops:read vault:Team:use vault:Ops:use',
    lifespanSeconds: 3600,
    reason: 'release 4.2 needs the deploy key',
    ...over,
  });

  it('approve as asked: the prompt shows who, what, how long and why; the poll gets a bound token', async () => {
    const flow = fx.device();
    const requested = fx.next('device.requested');
    const auth = await flow.start(request());
    expect(auth.deviceCode).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(auth.userCode).toMatch(USER_CODE);
    expect(auth).toMatchObject({ expiresIn: 600, interval: 5 });

    const { request: shown } = await requested;
    expect(shown).toMatchObject({
      userCode: auth.userCode,
      clientName: 'build-bot',
      keyThumbprint: jkt,
      requestedScope: 'vault:Ops:read vault:Team:use vault:Ops:use',
      vaults: [
        { ref: 'Ops', id: fx.ops.id, name: 'Ops' },
        { ref: 'Team', id: fx.team.id, name: 'Team' },
      ],
      actions: ['read', 'use'],
      lifespanSeconds: 3600,
      reason: 'release 4.2 needs the deploy key',
      status: 'pending',
      tokenId: null,
    });
    expect(Date.parse(shown.expiresAt) - Date.parse(shown.createdAt)).toBe(600 * SECOND);
    const [audited] = await fx.auditRows('device.request');
    expect(audited).toMatchObject({ actor: 'agent', agent: 'build-bot', keyThumbprint: jkt, reason: 'release 4.2 needs the deploy key' });
    expect(audited?.detail).toMatchObject({ requestId: shown.id, userCode: auth.userCode, agentClaimed: true });

    expect(await errorCode(flow.poll(auth.deviceCode, jkt))).toBe('authorization_pending');
    const decided = fx.next('device.decided');
    const info = await flow.decide(shown.id, 'approve');
    expect(info.status).toBe('approved');
    expect(info.grantedScope).toBe(`vault:${fx.ops.id}:read vault:${fx.team.id}:use vault:${fx.ops.id}:use`);
    expect(info.grantedLifespanSeconds).toBe(3600);
    expect((await decided).request.id).toBe(shown.id);
    const [decision] = await fx.auditRows('device.decide');
    expect(decision).toMatchObject({ actor: 'person', agent: 'build-bot', keyThumbprint: jkt });
    expect(decision?.detail).toMatchObject({ requestId: shown.id, decision: 'approve', narrowed: false, grantedScope: info.grantedScope });

    fx.clock.now += 5 * SECOND;
    const issued = await flow.poll(auth.deviceCode, jkt);
    expect(issued.tokenType).toBe('DPoP');
    const claims = await fx.verify(issued.accessToken);
    expect(claims).toMatchObject({ sub: 'build-bot', client_id: 'build-bot', jti: issued.tokenId, cnf: { jkt } });
    expect(claims.scope.split(' ').sort()).toEqual(info.grantedScope?.split(' ').sort());
    expect(claims.exp - claims.iat).toBe(3600);
    const after = flow.list('all').find((r) => r.id === shown.id);
    expect(after).toMatchObject({ status: 'redeemed', tokenId: issued.tokenId });
    expect(fx.tokens.record(issued.tokenId)).toMatchObject({ origin: 'device', jkt });
  });

  it('approve narrowed: fewer vaults, fewer actions, shorter life', async () => {
    const flow = fx.device();
    const auth = await flow.start(request());
    const [shown] = flow.list('pending');
    const info = await flow.decide(shown!.id, 'approve', { vaults: ['ops'], actions: ['use'], lifespanSeconds: 600 });
    expect(info).toMatchObject({ status: 'approved', grantedScope: `vault:${fx.ops.id}:use`, grantedLifespanSeconds: 600 });
    const [decision] = await fx.auditRows('device.decide');
    expect(decision?.detail).toMatchObject({ narrowed: true, lifespanSeconds: 600 });
    const claims = await fx.verify((await flow.poll(auth.deviceCode, jkt)).accessToken);
    expect(claims.scope).toBe(`vault:${fx.ops.id}:use`);
    expect(claims.exp - claims.iat).toBe(600);
  });

  it('refuses a narrowing that is wider than the request, and leaves the request pending', async () => {
    const flow = fx.device();
    await flow.start(request({ scope: 'vault:Ops:read' }));
    const id = flow.list('pending')[0]!.id;
    expect(await errorCode(flow.decide(id, 'approve', { vaults: [fx.plain.id] }))).toBe('invalid_request');
    expect(await errorCode(flow.decide(id, 'approve', { vaults: ['Nowhere'] }))).toBe('not_found');
    expect(await errorCode(flow.decide(id, 'approve', { vaults: [] }))).toBe('invalid_request');
    expect(await errorCode(flow.decide(id, 'approve', { actions: ['use'] }))).toBe('invalid_request');
    expect(await errorCode(flow.decide(id, 'approve', { lifespanSeconds: 7200 }))).toBe('invalid_request');
    expect(await errorCode(flow.decide(id, 'approve', { lifespanSeconds: 60 }))).toBe('invalid_request');
    expect(await errorCode(flow.decide(id, 'deny', { lifespanSeconds: 600 }))).toBe('invalid_request');
    expect(flow.list('pending').map((r) => r.id)).toEqual([id]);
    expect(await fx.auditRows('device.decide')).toHaveLength(0);
  });

  it('resolves entry refs at decision time, and a vault that does not exist can only be narrowed away', async () => {
    const flow = fx.device();
    await flow.start(request({ scope: 'entry:Ops/Deploy%20key:read vault:Ghost:read' }));
    const [shown] = flow.list('pending');
    expect(shown?.vaults).toEqual([
      { ref: 'Ops', id: fx.ops.id, name: 'Ops' },
      { ref: 'Ghost', id: null, name: null },
    ]);
    expect(await errorCode(flow.decide(shown!.id, 'approve'))).toBe('not_found');
    const info = await flow.decide(shown!.id, 'approve', { vaults: ['Ops'] });
    expect(info.grantedScope).toBe(`entry:${fx.ops.id}/${fx.deploy.id}:read`);
  });

  it('deny: the poll answers access_denied', async () => {
    const flow = fx.device();
    const auth = await flow.start(request());
    const id = flow.list('pending')[0]!.id;
    expect(await flow.decide(id, 'deny')).toMatchObject({ status: 'denied' });
    expect((await fx.auditRows('device.decide'))[0]?.detail).toMatchObject({ decision: 'deny' });
    expect(await errorCode(flow.poll(auth.deviceCode, jkt))).toBe('access_denied');
    // A second click (approve after deny) changes nothing.
    expect(await flow.decide(id, 'approve')).toMatchObject({ status: 'denied' });
    fx.clock.now += 5 * SECOND;
    expect(await errorCode(flow.poll(auth.deviceCode, jkt))).toBe('access_denied');
  });

  it('checks what the agent sends', async () => {
    const flow = fx.device();
    expect(await errorCode(flow.start(request({ scope: 'vault:Ops:write' })))).toBe('invalid_scope');
    expect(await errorCode(flow.start(request({ scope: '' })))).toBe('invalid_scope');
    expect(await errorCode(flow.start(request({ lifespanSeconds: 10 })))).toBe('invalid_request');
    expect(await errorCode(flow.start(request({ lifespanSeconds: 366 * 86_400 })))).toBe('invalid_request');
    expect(await errorCode(flow.start(request({ lifespanSeconds: 3600.5 })))).toBe('invalid_request');
    expect(await errorCode(flow.start(request({ reason: '' })))).toBe('reason_required');
    expect(await errorCode(flow.start(request({ reason: '   ' })))).toBe('reason_required');
    expect(await errorCode(flow.start(request({ reason: 'x'.repeat(301) })))).toBe('reason_required');
    expect(await errorCode(flow.start(request({ clientId: '' })))).toBe('invalid_request');
    expect(await errorCode(flow.start(request({ clientId: 'bot\u001b[31m' })))).toBe('invalid_request');
    expect(await errorCode(flow.start(request({ clientId: 'b'.repeat(101) })))).toBe('invalid_request');
    expect(flow.list('all')).toHaveLength(0);
    await flow.start(request({ reason: 'x'.repeat(300), clientId: 'b'.repeat(100) }));
    expect(flow.list('pending')).toHaveLength(1);
  });

  it('while locked: the prompt has no vault names, approving waits for unlock, and issuing retries', async () => {
    const flow = fx.device();
    fx.t.engine.lock();
    const requested = fx.next('device.requested');
    const auth = await flow.start(request({ scope: 'vault:Ops:read' }));
    const { request: shown } = await requested;
    expect(shown.vaults).toEqual([{ ref: 'Ops', id: null, name: null }]);
    expect(await errorCode(flow.decide(shown.id, 'approve'))).toBe('vault_locked');
    await fx.t.engine.unlock(fx.t.grant.passphrase);
    await flow.decide(shown.id, 'approve');
    fx.t.engine.lock();
    expect(await errorCode(flow.poll(auth.deviceCode, jkt))).toBe('vault_locked');
    await fx.t.engine.unlock(fx.t.grant.passphrase);
    fx.clock.now += 5 * SECOND;
    const issued = await flow.poll(auth.deviceCode, jkt);
    expect((await fx.verify(issued.accessToken)).scope).toBe(`vault:${fx.ops.id}:read`);
  });

  it('admin handlers list and decide with checked params', async () => {
    const flow = fx.device();
    const handlers = deviceHandlers(flow);
    await flow.start(request());
    const [shown] = await parsedCall(handlers, 'listDeviceRequests', {}, CTX);
    expect(shown?.clientName).toBe('build-bot');
    expect(await errorCode(parsedCall(handlers, 'listDeviceRequests', { status: 'old' }, CTX))).toBe('invalid_request');
    expect(await errorCode(parsedCall(handlers, 'decideDeviceRequest', { requestId: shown!.id, decision: 'maybe' }, CTX))).toBe('invalid_request');
    expect(await errorCode(parsedCall(handlers, 'decideDeviceRequest', { requestId: shown!.id, decision: 'approve', narrowed: { actions: ['write'] } }, CTX))).toBe('invalid_request');
    expect(await errorCode(parsedCall(handlers, 'decideDeviceRequest', { requestId: shown!.id, decision: 'approve', narrowed: { vaults: 'Ops' } }, CTX))).toBe('invalid_request');
    expect(await errorCode(parsedCall(handlers, 'decideDeviceRequest', { requestId: 'nope', decision: 'deny' }, CTX))).toBe('not_found');
    const info = await parsedCall(handlers, 'decideDeviceRequest', { requestId: shown!.id, decision: 'approve', narrowed: { vaults: ['Team'], lifespanSeconds: 900 } }, CTX);
    expect(info).toMatchObject({ status: 'approved', grantedScope: `vault:${fx.team.id}:use`, grantedLifespanSeconds: 900 });
    expect(await parsedCall(handlers, 'listDeviceRequests', { status: 'all' }, CTX)).toHaveLength(1);
    expect(await parsedCall(handlers, 'listDeviceRequests', { status: 'pending' }, CTX)).toHaveLength(0);
  });
});
