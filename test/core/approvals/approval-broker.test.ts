import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ApprovalRequest, TokenRecord } from '../../../src/core/agent/agent-services.js';
import { approvalHandlers } from '../../../src/core/admin/approval-handlers.js';
import { effectiveApproval } from '../../../src/core/approvals/effective-approval.js';
import type { CallContext } from '../../../src/shared/admin-api.js';
import type { EntrySummary, VaultInfo } from '../../../src/shared/model.js';
import { errorCode, openAgentFixture, stillWaiting, type AgentFixture } from './agent-fixture.js';
import { parsedCall } from '../../helpers/parsed-call.js';

type Agent = { readonly record: TokenRecord; readonly jkt: string };
const MINUTE = 60_000;
const CTX: CallContext = { via: 'in-process', personPresent: false };

function ask(agent: Agent, vault: VaultInfo, entry: EntrySummary | null, over: Partial<ApprovalRequest> = {}): ApprovalRequest {
  return {
    token: agent.record,
    jkt: agent.jkt,
    vaultId: vault.id,
    entryId: entry?.id ?? null,
    field: 'apiKey',
    action: 'read',
    reason: 'rotate the deploy key',
    setting: effectiveApproval(vault.approval, agent.record.approval),
    ...over,
  };
}

describe('ApprovalBrokerImpl', () => {
  let fx: AgentFixture;
  beforeEach(async () => {
    fx = await openAgentFixture();
  });
  afterEach(async () => {
    await fx.close();
  });

  /** Starts a request that must wait, and returns its promise with the prompt it raised. */
  async function waitFor(broker: ReturnType<AgentFixture['broker']>, request: ApprovalRequest) {
    const requested = fx.next('approval.requested');
    const pending = broker.await(request);
    pending.catch(() => undefined);
    const { approval } = await requested;
    return { pending, approval };
  }

  it('lets a vault without approval through at once, asking nobody', async () => {
    const broker = fx.broker();
    const agent = await fx.agentToken('reader');
    await expect(broker.await(ask(agent, fx.plain, null))).resolves.toEqual({ approvalId: '' });
    expect(broker.list('all')).toHaveLength(0);
    expect(fx.events.filter((e) => e.type === 'approval.requested')).toHaveLength(0);
  });

  it('shows a prompt with everything a person needs, and allow_once lets exactly that request through', async () => {
    const broker = fx.broker();
    const agent = await fx.agentToken('deploy-bot');
    const { pending, approval } = await waitFor(broker, ask(agent, fx.ops, fx.deploy));
    expect(approval).toMatchObject({
      tokenId: agent.record.id,
      tokenName: 'deploy-bot',
      tokenOrigin: 'app',
      agent: 'deploy-bot',
      keyThumbprint: agent.jkt,
      vaultId: fx.ops.id,
      vaultName: 'Ops',
      entryId: fx.deploy.id,
      entryTitle: 'Deploy key',
      field: 'apiKey',
      action: 'read',
      reason: 'rotate the deploy key',
      status: 'pending',
      decision: null,
      minutes: null,
      decidedAt: null,
    });
    expect(Date.parse(approval.expiresAt) - Date.parse(approval.createdAt)).toBe(120_000);
    expect(await stillWaiting(pending)).toBe(true);
    expect(broker.list('pending').map((a) => a.id)).toEqual([approval.id]);

    const decided = fx.next('approval.decided');
    const info = await broker.decide(approval.id, 'allow_once');
    expect(info).toMatchObject({ id: approval.id, status: 'allowed', decision: 'allow_once' });
    await expect(pending).resolves.toEqual({ approvalId: approval.id });
    expect((await decided).approval.status).toBe('allowed');
    expect(broker.list('pending')).toHaveLength(0);

    const [asked] = await fx.auditRows('approval.request');
    expect(asked).toMatchObject({ actor: 'agent', agent: 'deploy-bot', tokenId: agent.record.id, keyThumbprint: agent.jkt, vaultId: fx.ops.id, entryId: fx.deploy.id, approvalId: approval.id, reason: 'rotate the deploy key' });
    const [answer] = await fx.auditRows('approval.decide');
    expect(answer).toMatchObject({ actor: 'person', approvalId: approval.id, outcome: 'ok' });
    expect(answer?.detail).toMatchObject({ decision: 'allow_once' });

    // Single use: the very same access asks again.
    const again = await waitFor(broker, ask(agent, fx.ops, fx.deploy));
    expect(again.approval.id).not.toBe(approval.id);
    expect(await stillWaiting(again.pending)).toBe(true);
    await broker.decide(again.approval.id, 'deny');
    expect(await errorCode(again.pending)).toBe('approval_denied');
  });

  it('allow_for N minutes covers the same key, token, vault, entry and action, and nothing else', async () => {
    const broker = fx.broker();
    const agent = await fx.agentToken('deploy-bot');
    const first = await waitFor(broker, ask(agent, fx.ops, fx.deploy));
    const info = await broker.decide(first.approval.id, 'allow_for', 10);
    expect(info).toMatchObject({ status: 'allowed', decision: 'allow_for', minutes: 10 });
    await expect(first.pending).resolves.toEqual({ approvalId: first.approval.id });

    fx.clock.now += 9 * MINUTE;
    await expect(broker.await(ask(agent, fx.ops, fx.deploy, { field: 'notes', reason: 'another reason' }))).resolves.toEqual({ approvalId: first.approval.id });
    expect(broker.list('pending')).toHaveLength(0);

    const other = await fx.agentToken('other-bot');
    const notCovered: ApprovalRequest[] = [
      ask(agent, fx.ops, fx.database), // another entry
      ask(agent, fx.ops, fx.deploy, { action: 'use' }), // another action
      ask(other, fx.ops, fx.deploy), // another token
      ask({ record: agent.record, jkt: other.jkt }, fx.ops, fx.deploy), // another key
    ];
    for (const request of notCovered) {
      const waiting = await waitFor(broker, request);
      expect(await stillWaiting(waiting.pending)).toBe(true);
      await broker.decide(waiting.approval.id, 'deny');
      expect(await errorCode(waiting.pending)).toBe('approval_denied');
    }

    fx.clock.now += 1 * MINUTE; // the ten minutes are over
    const later = await waitFor(broker, ask(agent, fx.ops, fx.deploy));
    expect(await stillWaiting(later.pending)).toBe(true);
    await broker.decide(later.approval.id, 'deny');
    expect(await errorCode(later.pending)).toBe('approval_denied');
  });

  it('in a once_per_token vault one allow opens the vault to that token and key for the vault’s minutes', async () => {
    const broker = fx.broker();
    const agent = await fx.agentToken('team-bot');
    expect(ask(agent, fx.team, fx.wiki).setting).toEqual({ mode: 'once_per_token', minutes: 5 });
    const first = await waitFor(broker, ask(agent, fx.team, fx.wiki));
    await broker.decide(first.approval.id, 'allow_once');
    await expect(first.pending).resolves.toEqual({ approvalId: first.approval.id });

    fx.clock.now += 4 * MINUTE;
    await expect(broker.await(ask(agent, fx.team, fx.chat))).resolves.toEqual({ approvalId: first.approval.id });
    await expect(broker.await(ask(agent, fx.team, null))).resolves.toEqual({ approvalId: first.approval.id });

    const other = await fx.agentToken('other-bot');
    const otherWaits = await waitFor(broker, ask(other, fx.team, fx.chat));
    await broker.decide(otherWaits.approval.id, 'deny');
    expect(await errorCode(otherWaits.pending)).toBe('approval_denied');

    // A token held to every_access is asked each time, even in this vault.
    const strict = { record: { ...agent.record, approval: { mode: 'every_access' } as const }, jkt: agent.jkt };
    const strictWaits = await waitFor(broker, ask(strict, fx.team, fx.chat));
    await broker.decide(strictWaits.approval.id, 'deny');
    expect(await errorCode(strictWaits.pending)).toBe('approval_denied');

    fx.clock.now += 1 * MINUTE; // five minutes since the approval
    const later = await waitFor(broker, ask(agent, fx.team, fx.chat));
    await broker.decide(later.approval.id, 'deny');
    expect(await errorCode(later.pending)).toBe('approval_denied');
  });

  it('deny fails the request with approval_denied and leaves nothing allowed', async () => {
    const broker = fx.broker();
    const agent = await fx.agentToken('deploy-bot');
    const first = await waitFor(broker, ask(agent, fx.ops, fx.deploy));
    const decided = fx.next('approval.decided');
    expect(await broker.decide(first.approval.id, 'deny')).toMatchObject({ status: 'denied', decision: 'deny' });
    expect(await errorCode(first.pending)).toBe('approval_denied');
    expect((await decided).approval).toMatchObject({ id: first.approval.id, status: 'denied' });
    const again = await waitFor(broker, ask(agent, fx.ops, fx.deploy));
    expect(await stillWaiting(again.pending)).toBe(true);
    await broker.decide(again.approval.id, 'deny');
    await errorCode(again.pending);
  });

  it('revoking a token fails its pending approvals at once, and only its own', async () => {
    const broker = fx.broker();
    const a = await fx.agentToken('a-bot');
    const b = await fx.agentToken('b-bot');
    const waitA = await waitFor(broker, ask(a, fx.ops, fx.deploy));
    const waitB = await waitFor(broker, ask(b, fx.ops, fx.deploy));
    await fx.tokens.revoke(a.record.id, 'compromised');
    expect(await errorCode(waitA.pending)).toBe('invalid_token');
    expect(await stillWaiting(waitB.pending)).toBe(true);
    expect(broker.list('all').find((x) => x.id === waitA.approval.id)?.status).toBe('denied');
    // A click on the cancelled prompt changes nothing.
    expect((await broker.decide(waitA.approval.id, 'allow_for', 60)).status).toBe('denied');
    broker.cancelForToken(b.record.id);
    expect(await errorCode(waitB.pending)).toBe('invalid_token');
    const [cancel] = await fx.auditRows('approval.cancel');
    expect(cancel).toMatchObject({ outcome: 'refused', errorCode: 'invalid_token' });
  });

  it('marks requests left pending by a previous run as timed out', async () => {
    const before = fx.broker();
    const agent = await fx.agentToken('deploy-bot');
    const left = await waitFor(before, ask(agent, fx.ops, fx.deploy));
    const after = fx.broker(); // what a restart does: a new broker on the same database
    expect(after.list('all').find((x) => x.id === left.approval.id)?.status).toBe('timed_out');
    expect(after.list('pending')).toHaveLength(0);
    expect((await after.decide(left.approval.id, 'allow_once')).status).toBe('timed_out');
    before.close();
    expect(await errorCode(left.pending)).toBe('approval_timeout');
    const [row] = await fx.auditRows('approval.expire_leftover');
    expect(row?.detail).toEqual({ count: 1 });
  });

  it('checks decisions: unknown id, decision and minutes', async () => {
    const broker = fx.broker();
    const agent = await fx.agentToken('deploy-bot');
    const { pending, approval } = await waitFor(broker, ask(agent, fx.ops, fx.deploy));
    expect(await errorCode(broker.decide('nope', 'allow_once'))).toBe('not_found');
    expect(await errorCode(broker.decide(approval.id, 'allow_for'))).toBe('invalid_request');
    expect(await errorCode(broker.decide(approval.id, 'allow_for', 0))).toBe('invalid_request');
    expect(await errorCode(broker.decide(approval.id, 'allow_for', 1441))).toBe('invalid_request');
    expect(await errorCode(broker.decide(approval.id, 'allow_for', 2.5))).toBe('invalid_request');
    expect(await errorCode(broker.decide(approval.id, 'allow_once', 5))).toBe('invalid_request');
    expect(await errorCode(broker.decide(approval.id, 'maybe' as 'deny'))).toBe('invalid_request');
    expect(await stillWaiting(pending)).toBe(true);
    expect(() => broker.list('all', 0)).toThrow(/limit/);
    await broker.decide(approval.id, 'allow_for', 1440);
    await expect(pending).resolves.toEqual({ approvalId: approval.id });
  });

  it('names vaults and entries while unlocked and shows null names while locked', async () => {
    const broker = fx.broker();
    const agent = await fx.agentToken('deploy-bot');
    const { pending, approval } = await waitFor(broker, ask(agent, fx.ops, fx.deploy));
    fx.t.engine.lock();
    const [locked] = broker.list('pending');
    expect(locked).toMatchObject({ id: approval.id, vaultId: fx.ops.id, vaultName: null, entryId: fx.deploy.id, entryTitle: null });
    await fx.t.engine.unlock(fx.t.grant.passphrase);
    expect(broker.list('pending')[0]).toMatchObject({ vaultName: 'Ops', entryTitle: 'Deploy key' });
    await broker.decide(approval.id, 'deny');
    await errorCode(pending);
  });

  it('admin handlers list and decide with checked params', async () => {
    const broker = fx.broker();
    const handlers = approvalHandlers(broker);
    const agent = await fx.agentToken('deploy-bot');
    const { pending, approval } = await waitFor(broker, ask(agent, fx.ops, fx.deploy));
    expect((await parsedCall(handlers, 'listApprovals', {}, CTX)).map((a) => a.id)).toEqual([approval.id]);
    expect(await errorCode(parsedCall(handlers, 'listApprovals', { status: 'everything' }, CTX))).toBe('invalid_request');
    expect(await errorCode(parsedCall(handlers, 'decideApproval', { approvalId: approval.id, decision: 'yes' }, CTX))).toBe('invalid_request');
    expect(await errorCode(parsedCall(handlers, 'decideApproval', { approvalId: approval.id, decision: 'allow_for', minutes: '5' }, CTX))).toBe('invalid_request');
    const info = await parsedCall(handlers, 'decideApproval', { approvalId: approval.id, decision: 'allow_for', minutes: 5 }, CTX);
    expect(info).toMatchObject({ status: 'allowed', minutes: 5 });
    await expect(pending).resolves.toEqual({ approvalId: approval.id });
    expect(await parsedCall(handlers, 'listApprovals', { status: 'all', limit: 1 }, CTX)).toHaveLength(1);
  });
});
