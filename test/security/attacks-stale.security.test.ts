/**
 * docs/security.md attack 47: nothing is released on a stale decision. A request waiting for a
 * person is answered at once when the engine locks, agents are paused, the token is revoked or
 * runs out; a later "allow" releases nothing, and the next request has to ask again.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AgentResponse } from '../helpers/agent-client.js';
import { GITHUB_REF, expectRefusalRow, expectRefused, openAttackFixture, type AttackFixture, type Enrolled } from './attack-fixture.js';

/** Long enough that only the event under test can end the wait. */
const APPROVAL_TIMEOUT_MS = 60_000;

let fx: AttackFixture;
beforeAll(async () => {
  fx = await openAttackFixture({ approvalTimeoutMs: APPROVAL_TIMEOUT_MS });
});
afterAll(async () => {
  await fx.close();
});

function resolveNow(e: Enrolled): Promise<AgentResponse> {
  // Dated by the engine's clock, which the expiry case moves.
  return e.agent.call('POST', '/v1/resolve', { token: e.token, json: { refs: [GITHUB_REF], reason: 'waiting test' }, proofOptions: { iat: Math.floor(fx.now() / 1000) } });
}

/** Starts a resolve that waits for a person; resolves once its prompt is pending. */
async function waiting(e: Enrolled): Promise<{ answer: Promise<AgentResponse>; approvalId: string; before: number }> {
  const before = await fx.mark();
  const answer = resolveNow(e);
  for (let i = 0; i < 400; i++) {
    const pending = (await fx.t.admin.listApprovals({ status: 'pending' })).find((a) => a.tokenId === e.tokenId);
    if (pending !== undefined) return { answer, approvalId: pending.id, before };
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('the request never waited for a person');
}

async function expectStale(e: Enrolled, w: { answer: Promise<AgentResponse>; approvalId: string; before: number }, status: number, code: string): Promise<void> {
  const res = await w.answer;
  expectRefused(res, status, code);
  // A moved clock makes the agent's cached server nonce stale: that handshake refusal is not the one under test.
  const rows = (await fx.rowsSince(w.before)).filter((r) => r.errorCode !== 'use_dpop_nonce');
  expectRefusalRow(rows, code, e.tokenId);
  expect(rows.filter((r) => r.action === 'approval.cancel').map((r) => [r.errorCode, r.approvalId])).toEqual([[code, w.approvalId]]);
  // The person clicks allow afterwards: nothing changes, nothing stands for later.
  const late = await fx.t.admin.decideApproval({ grant: fx.t.grant, approvalId: w.approvalId, decision: 'allow_for', minutes: 60 });
  expect(late.status).not.toBe('pending');
  expect(late.status).not.toBe('allowed');
  expect(late.decision).toBeNull();
  const after = await fx.rowsSince(w.before);
  expect(after.filter((r) => r.action === 'secret.read' && r.outcome === 'allowed')).toEqual([]);
}

describe('nothing is released on a stale decision (47)', () => {
  it('attack 47: the engine locks while a request waits → 423 vault_locked at once; the later click releases nothing', async () => {
    const e = await fx.enrolled({ vaults: [fx.personal.id] });
    const w = await waiting(e);
    fx.t.engine.lock();
    await expectStale(e, w, 423, 'vault_locked');
    await fx.t.engine.unlock(fx.t.grant.passphrase);
    // The late allow stood for nothing: the next request asks again.
    const next = await waiting(e);
    await fx.t.admin.decideApproval({ grant: fx.t.grant, approvalId: next.approvalId, decision: 'deny' });
    expectRefused(await next.answer, 403, 'approval_denied');
  });

  it('attack 47: agents are paused while a request waits → 403 agents_paused at once; the later click releases nothing', async () => {
    const e = await fx.enrolled({ vaults: [fx.personal.id] });
    const w = await waiting(e);
    await fx.t.admin.pauseAgents({});
    try {
      await expectStale(e, w, 403, 'agents_paused');
    } finally {
      await fx.t.admin.resumeAgents({ grant: fx.t.grant });
    }
  });

  it('attack 47: the token is revoked while a request waits → 401 invalid_token at once; the later click releases nothing', async () => {
    const e = await fx.enrolled({ vaults: [fx.personal.id] });
    const w = await waiting(e);
    await fx.t.admin.revokeToken({ tokenId: e.tokenId });
    await expectStale(e, w, 401, 'invalid_token');
  });

  it('attack 47: the token runs out while a request waits → 401 invalid_token when it ends, not at the approval timeout', async () => {
    const e = await fx.enrolled({ vaults: [fx.personal.id], lifespanSeconds: 300 });
    // One second of life left, far less than the approval timeout.
    fx.advance(299_000);
    const w = await waiting(e);
    await expectStale(e, w, 401, 'invalid_token');
  });
});
