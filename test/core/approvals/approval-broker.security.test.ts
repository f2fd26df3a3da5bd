/**
 * Attack-style tests of the approval broker (docs/security.md "Approvals", attack test 32): a wait
 * that outlives its timeout fails and a late click does nothing; an approval is bound to its key
 * and token; a decision that cannot be audited grants nothing.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ApprovalRequest, TokenRecord } from '../../../src/core/agent/agent-services.js';
import { VkError } from '../../../src/shared/errors.js';
import { errorCode, openAgentFixture, stillWaiting, type AgentFixture } from './agent-fixture.js';

type Agent = { readonly record: TokenRecord; readonly jkt: string };

describe('approval broker under attack', () => {
  let fx: AgentFixture;
  beforeEach(async () => {
    fx = await openAgentFixture();
  });
  afterEach(async () => {
    await fx.close();
  });

  const ask = (agent: Agent, jkt = agent.jkt): ApprovalRequest => ({
    token: agent.record,
    jkt,
    vaultId: fx.ops.id,
    entryId: fx.deploy.id,
    field: 'apiKey',
    action: 'read',
    reason: 'deploy',
    setting: { mode: 'every_access' },
  });

  it('32: a wait past its timeout fails with approval_timeout, and the late click does nothing', async () => {
    const broker = fx.broker({ timeoutMs: 200 });
    const agent = await fx.agentToken('slow-bot');
    const requested = fx.next('approval.requested');
    const decided = fx.next('approval.decided');
    const started = Date.now();
    const pending = broker.await(ask(agent));
    const { approval } = await requested;
    expect(await errorCode(pending)).toBe('approval_timeout');
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
    expect((await decided).approval).toMatchObject({ id: approval.id, status: 'timed_out', decision: null });

    const late = await broker.decide(approval.id, 'allow_for', 60);
    expect(late).toMatchObject({ id: approval.id, status: 'timed_out', decision: null, minutes: null });
    expect(await fx.auditRows('approval.decide')).toHaveLength(0);
    const [timeout] = await fx.auditRows('approval.timeout');
    expect(timeout).toMatchObject({ actor: 'engine', outcome: 'refused', errorCode: 'approval_timeout', approvalId: approval.id, tokenId: agent.record.id });

    // The late click left no standing approval behind: the same access asks again.
    const again = fx.next('approval.requested');
    const next = broker.await(ask(agent));
    expect((await again).approval.id).not.toBe(approval.id);
    expect(await errorCode(next)).toBe('approval_timeout');
  });

  it('a standing approval cannot be used with a stolen token from another key', async () => {
    const broker = fx.broker({ timeoutMs: 300 });
    const agent = await fx.agentToken('deploy-bot');
    const thief = await fx.agentToken('thief');
    const requested = fx.next('approval.requested');
    const first = broker.await(ask(agent));
    await broker.decide((await requested).approval.id, 'allow_for', 60);
    await first;
    const stolen = broker.await(ask(agent, thief.jkt));
    expect(await stillWaiting(stolen)).toBe(true);
    expect(await errorCode(stolen)).toBe('approval_timeout');
  });

  it('a decision whose audit row cannot be written grants nothing', async () => {
    const broker = fx.broker({
      audit: (r) => (r.action === 'approval.decide' ? Promise.reject(new VkError('audit_unavailable')) : fx.t.engine.audit(r)),
      timeoutMs: 300,
    });
    const agent = await fx.agentToken('deploy-bot');
    const requested = fx.next('approval.requested');
    const pending = broker.await(ask(agent));
    const { approval } = await requested;
    expect(await errorCode(broker.decide(approval.id, 'allow_for', 60))).toBe('audit_unavailable');
    expect(await errorCode(pending)).toBe('audit_unavailable');
    expect(broker.list('all')[0]).toMatchObject({ id: approval.id, status: 'denied' });
    const next = broker.await(ask(agent));
    expect(await stillWaiting(next)).toBe(true);
    expect(await errorCode(next)).toBe('approval_timeout');
  });

  it('a request that cannot be audited is never shown and never waits', async () => {
    const broker = fx.broker({
      audit: (r) => (r.action === 'approval.request' ? Promise.reject(new VkError('audit_unavailable')) : fx.t.engine.audit(r)),
    });
    const agent = await fx.agentToken('deploy-bot');
    expect(await errorCode(broker.await(ask(agent)))).toBe('audit_unavailable');
    expect(broker.list('all')).toHaveLength(0);
    expect(fx.events.filter((e) => e.type === 'approval.requested')).toHaveLength(0);
  });

  it('two clicks at once: one decision wins, the other changes nothing', async () => {
    const broker = fx.broker();
    const agent = await fx.agentToken('deploy-bot');
    const requested = fx.next('approval.requested');
    const pending = broker.await(ask(agent));
    const { approval } = await requested;
    const [deny, allow] = await Promise.all([broker.decide(approval.id, 'deny'), broker.decide(approval.id, 'allow_for', 60)]);
    expect(deny.status).toBe('denied');
    expect(allow.status).toBe('pending'); // the second click saw a decision in flight
    expect(await errorCode(pending)).toBe('approval_denied');
    expect(broker.list('all')[0]?.status).toBe('denied');
    expect(await fx.auditRows('approval.decide')).toHaveLength(1);
  });
});
