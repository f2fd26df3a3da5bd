/**
 * Attack-style tests of the device flow (docs/security.md "Device flow", attack tests 29 and 30):
 * polling discipline, expiry, single use, key binding, and a flood of requests that must not
 * bury the person in prompts.
 */
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sha256Base64url } from '../../../src/core/auth/sha256-base64url.js';
import { ERRORS } from '../../../src/shared/errors.js';
import { agentKey, errorCode, openAgentFixture, type AgentFixture } from '../approvals/agent-fixture.js';

const SECOND = 1000;

describe('device flow under attack', () => {
  let fx: AgentFixture;
  let jkt: string;
  beforeEach(async () => {
    fx = await openAgentFixture();
    jkt = (await agentKey()).jkt;
  });
  afterEach(async () => {
    await fx.close();
  });

  const start = (flow: ReturnType<AgentFixture['device']>, key: string | null = jkt) =>
    flow.start({ clientId: 'flood-bot', jkt: key, scope: 'vault:Ops:read', lifespanSeconds: 3600, reason: 'please' });

  it('29: polling faster than the interval is slow_down, and the interval grows by 5 s', async () => {
    const flow = fx.device();
    const auth = await start(flow);
    expect(await errorCode(flow.poll(auth.deviceCode, jkt))).toBe('authorization_pending');
    fx.clock.now += 1 * SECOND;
    expect(await errorCode(flow.poll(auth.deviceCode, jkt))).toBe('slow_down');
    fx.clock.now += 6 * SECOND; // 6 s < the new 10 s interval
    expect(await errorCode(flow.poll(auth.deviceCode, jkt))).toBe('slow_down');
    fx.clock.now += 15 * SECOND; // the interval is now 15 s
    expect(await errorCode(flow.poll(auth.deviceCode, jkt))).toBe('authorization_pending');
    const row = fx.t.engine.db.prepare('SELECT interval_seconds FROM device_requests').get() as { interval_seconds: number };
    expect(row.interval_seconds).toBe(15);
  });

  it('29: after expiry the poll is expired_token, and a late approval changes nothing', async () => {
    const flow = fx.device();
    const auth = await start(flow);
    const id = flow.list('pending')[0]!.id;
    fx.clock.now += 600 * SECOND;
    expect(await errorCode(flow.poll(auth.deviceCode, jkt))).toBe('expired_token');
    expect(flow.list('pending')).toHaveLength(0);
    expect(await flow.decide(id, 'approve')).toMatchObject({ status: 'expired', tokenId: null });
    expect(await fx.auditRows('device.decide')).toHaveLength(0);
    expect(await errorCode(flow.poll(auth.deviceCode, jkt))).toBe('expired_token');
  });

  it('29: an approved request that is not redeemed in time expires too', async () => {
    const flow = fx.device();
    const auth = await start(flow);
    await flow.decide(flow.list('pending')[0]!.id, 'approve');
    fx.clock.now += 601 * SECOND;
    expect(await errorCode(flow.poll(auth.deviceCode, jkt))).toBe('expired_token');
  });

  it('29: a device code is single use: the second redemption is invalid_grant', async () => {
    const flow = fx.device();
    const auth = await start(flow);
    await flow.decide(flow.list('pending')[0]!.id, 'approve');
    await flow.poll(auth.deviceCode, jkt);
    fx.clock.now += 10 * SECOND;
    expect(await errorCode(flow.poll(auth.deviceCode, jkt))).toBe('invalid_grant');
  });

  it('29: the person denies → access_denied, and no token exists', async () => {
    const flow = fx.device();
    const auth = await start(flow);
    await flow.decide(flow.list('pending')[0]!.id, 'deny');
    expect(await errorCode(flow.poll(auth.deviceCode, jkt))).toBe('access_denied');
    expect(fx.tokens.list('all')).toHaveLength(0);
  });

  it('a poll with another key, or an unknown code, is invalid_grant and does not disturb the real agent', async () => {
    const flow = fx.device();
    const auth = await start(flow);
    await flow.decide(flow.list('pending')[0]!.id, 'approve');
    const thief = (await agentKey()).jkt;
    expect(await errorCode(flow.poll(auth.deviceCode, thief))).toBe('invalid_grant');
    expect(await errorCode(flow.poll(`${auth.deviceCode.slice(0, -1)}A`, jkt))).toBe('invalid_grant');
    expect(await errorCode(flow.poll('x'.repeat(10_000), jkt))).toBe('invalid_grant');
    const issued = await flow.poll(auth.deviceCode, jkt); // no slow_down: the thief's polls did not count
    expect((await fx.verify(issued.accessToken)).cnf?.jkt).toBe(jkt);
  });

  it('a request without a key is bound by the first poll that proves one; every other key is then invalid_grant', async () => {
    const flow = fx.device();
    const auth = await start(flow, null);
    expect(flow.list('pending')[0]?.keyThumbprint).toBeNull();
    const thief = (await agentKey()).jkt;
    // Two first polls at once: binding is one synchronous step, so exactly one key wins.
    const first = await Promise.allSettled([flow.poll(auth.deviceCode, jkt), flow.poll(auth.deviceCode, thief)]);
    expect(first.map((r) => (r.status === 'rejected' ? (r.reason as { code: string }).code : 'token'))).toEqual(['authorization_pending', 'invalid_grant']);
    expect(flow.list('pending')[0]?.keyThumbprint).toBe(jkt);
    // Prompts already open learn the key at once.
    expect(fx.events.filter((e) => e.type === 'device.bound').map((e) => e.type === 'device.bound' && e.request.keyThumbprint)).toEqual([jkt]);
    await flow.decide(flow.list('pending')[0]!.id, 'approve');
    fx.clock.now += 6 * SECOND;
    expect(await errorCode(flow.poll(auth.deviceCode, thief))).toBe('invalid_grant');
    const issued = await flow.poll(auth.deviceCode, jkt);
    expect((await fx.verify(issued.accessToken)).cnf?.jkt).toBe(jkt);
    const [redeem] = await fx.auditRows('device.redeem');
    expect(redeem?.keyThumbprint).toBe(jkt);
  });

  it('30: without a key, pending requests are counted per claimed name: at most 3', async () => {
    const flow = fx.device();
    const outcomes: string[] = [];
    for (let i = 0; i < 10; i += 1) outcomes.push(await errorCode(start(flow, null)));
    expect(outcomes.filter((o) => o === 'no error')).toHaveLength(3);
    expect(outcomes.filter((o) => o === 'rate_limited')).toHaveLength(7);
    expect(flow.list('pending')).toHaveLength(3);
    // Another name is another agent; the overall caps (20 pending, 30 a minute) still hold.
    await flow.start({ clientId: 'other-bot', jkt: null, scope: 'vault:Ops:read', lifespanSeconds: 3600, reason: 'please' });
    expect(flow.list('pending')).toHaveLength(4);
  });

  it('two polls at once after approval: exactly one token', async () => {
    const flow = fx.device();
    const auth = await start(flow);
    await flow.decide(flow.list('pending')[0]!.id, 'approve');
    const results = await Promise.allSettled([flow.poll(auth.deviceCode, jkt), flow.poll(auth.deviceCode, jkt)]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(fx.tokens.list('all')).toHaveLength(1);
  });

  it('30: 100 requests in a minute from one key → 429 rate_limited, at most 3 prompts', async () => {
    const flow = fx.device();
    const outcomes: string[] = [];
    for (let i = 0; i < 100; i += 1) {
      fx.clock.now += 500; // 100 requests over 50 seconds
      outcomes.push(await errorCode(start(flow)));
    }
    expect(outcomes.filter((o) => o === 'no error')).toHaveLength(3);
    expect(outcomes.filter((o) => o === 'rate_limited')).toHaveLength(97);
    expect(ERRORS.rate_limited.status).toBe(429);
    expect(flow.list('pending')).toHaveLength(3);
    expect(fx.events.filter((e) => e.type === 'device.requested')).toHaveLength(3);
    expect(await fx.auditRows('device.request')).toHaveLength(3);
  });

  it('30: answering prompts does not lift the per-key rate: at most 10 new requests a minute', async () => {
    const flow = fx.device();
    let accepted = 0;
    for (let i = 0; i < 30; i += 1) {
      fx.clock.now += 1 * SECOND;
      if ((await errorCode(start(flow))) === 'no error') accepted += 1;
      for (const r of flow.list('pending')) await flow.decide(r.id, 'deny'); // a patient person
    }
    expect(accepted).toBe(10);
    fx.clock.now += 60 * SECOND;
    expect(await errorCode(start(flow))).toBe('no error');
  });

  it('30: a flood from many keys is capped overall', async () => {
    const flow = fx.device();
    const keys = await Promise.all(Array.from({ length: 40 }, async () => (await agentKey()).jkt));
    const outcomes: string[] = [];
    for (const key of keys) outcomes.push(await errorCode(start(flow, key)));
    expect(outcomes.filter((o) => o === 'no error')).toHaveLength(20);
    expect(outcomes.filter((o) => o === 'rate_limited')).toHaveLength(20);
    expect(flow.list('pending')).toHaveLength(20);
  });

  it('30: new requests across all keys are limited per minute, even with room for more prompts', async () => {
    const flow = fx.device({ limits: { pendingTotal: 1000 } });
    const keys = await Promise.all(Array.from({ length: 40 }, async () => (await agentKey()).jkt));
    const outcomes: string[] = [];
    for (const key of keys) outcomes.push(await errorCode(start(flow, key)));
    expect(outcomes.filter((o) => o === 'no error')).toHaveLength(30);
    fx.clock.now += 60 * SECOND;
    expect(await errorCode(start(flow, keys[39]))).toBe('no error');
  });

  it('the device code is kept only as a hash: not in the database file, the audit log or an event', async () => {
    const flow = fx.device();
    const auth = await start(flow);
    await flow.decide(flow.list('pending')[0]!.id, 'approve');
    const issued = await flow.poll(auth.deviceCode, jkt);
    const row = fx.t.engine.db.prepare('SELECT device_code_hash FROM device_requests').get() as { device_code_hash: string };
    expect(row.device_code_hash).toBe(sha256Base64url(auth.deviceCode));
    fx.t.engine.db.pragma('wal_checkpoint(TRUNCATE)');
    const file = readFileSync(fx.t.engine.paths.database).toString('latin1');
    expect(file.length).toBeGreaterThan(0);
    expect(file.includes(auth.deviceCode)).toBe(false);
    expect(file.includes(issued.accessToken)).toBe(false);
    const everything = JSON.stringify([(await fx.t.admin.queryAudit({ limit: 500 })).rows, fx.events]);
    expect(everything.includes(auth.deviceCode)).toBe(false);
    expect(everything.includes(issued.accessToken)).toBe(false);
    expect(everything.includes(auth.userCode)).toBe(true); // the user code is meant to be shown
  });
});
