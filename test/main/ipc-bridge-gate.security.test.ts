import { describe, expect, it } from 'vitest';
import { ADMIN_METHODS, type AdminMethod } from '../../src/shared/admin-api.js';
import { VkError } from '../../src/shared/errors.js';
import { fileAppOrigin } from '../../src/main/app-origin.js';
import { adminChannel, registerAdminIpc } from '../../src/main/ipc-bridge.js';
import type { GrantGate } from '../../src/main/touch-id.js';
import { FakeIpcMain, topFrame } from './fake-ipc-main.js';

const ORIGIN = fileAppOrigin('file:///app/out/renderer');
const PAGE = 'file:///app/out/renderer/index.html';

function bridge(gate: GrantGate) {
  const ipc = new FakeIpcMain();
  const dispatched: AdminMethod[] = [];
  registerAdminIpc(
    ipc,
    async (method) => {
      dispatched.push(method);
      return { done: true };
    },
    ORIGIN,
    gate,
  );
  return { ipc, dispatched };
}

describe('the grant gate in the IPC bridge (Touch ID on macOS)', () => {
  it('is asked before every grant-class method, and a refusal keeps the call from the engine', async () => {
    const asked: AdminMethod[] = [];
    const { ipc, dispatched } = bridge(async (method) => {
      asked.push(method);
      throw new VkError('grant_required', 'Touch ID was not confirmed');
    });
    const grants = (Object.keys(ADMIN_METHODS) as AdminMethod[]).filter((m) => ADMIN_METHODS[m] === 'grant');
    for (const method of grants) {
      const answer = await ipc.invoke(adminChannel(method), topFrame(PAGE), {});
      expect(answer).toMatchObject({ ok: false, error: { error: 'grant_required' } });
    }
    expect(asked).toEqual(grants);
    expect(dispatched).toEqual([]);
  });

  it('is not asked for reads and safe methods, which go straight through', async () => {
    let asked = 0;
    const { ipc, dispatched } = bridge(async () => {
      asked++;
      throw new VkError('grant_required');
    });
    for (const method of ['status', 'lock', 'pauseAgents', 'listApprovals', 'revokeAllTokens'] as const) {
      expect(await ipc.invoke(adminChannel(method), topFrame(PAGE), {})).toEqual({ ok: true, value: { done: true } });
    }
    expect(asked).toBe(0);
    expect(dispatched).toHaveLength(5);
  });

  it('is never reached by a foreign sender: the origin check comes first', async () => {
    let asked = 0;
    const { ipc } = bridge(async () => {
      asked++;
    });
    const answer = await ipc.invoke(adminChannel('decideApproval'), topFrame('https://evil.example/'), { approvalId: 'a', decision: 'allow_once' });
    expect(answer).toMatchObject({ ok: false, error: { error: 'forbidden_origin' } });
    expect(asked).toBe(0);
  });

  it('passes the call through once it resolves, with the params it was shown', async () => {
    const seen: unknown[] = [];
    const { ipc, dispatched } = bridge(async (_m, params) => {
      seen.push(params);
    });
    const params = { approvalId: 'apr_1', decision: 'allow_once' };
    expect(await ipc.invoke(adminChannel('decideApproval'), topFrame(PAGE), params)).toEqual({ ok: true, value: { done: true } });
    expect(seen).toEqual([params]);
    expect(dispatched).toEqual(['decideApproval']);
  });
});
