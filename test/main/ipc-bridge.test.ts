import { describe, expect, it } from 'vitest';
import { ADMIN_METHODS, type AdminMethod, type CallContext } from '../../src/shared/admin-api.js';
import { VkError } from '../../src/shared/errors.js';
import { fileAppOrigin } from '../../src/main/app-origin.js';
import { adminChannel, registerAdminIpc } from '../../src/main/ipc-bridge.js';
import { FakeIpcMain, topFrame } from './fake-ipc-main.js';

const ORIGIN = fileAppOrigin('file:///app/out/renderer');
const PAGE = 'file:///app/out/renderer/index.html';

interface Call {
  readonly method: AdminMethod;
  readonly params: unknown;
  readonly ctx: CallContext;
}

function recordingDispatch(calls: Call[], answer: (method: AdminMethod) => unknown = (m) => ({ echoed: m })) {
  return async (method: AdminMethod, params: unknown, ctx: CallContext): Promise<unknown> => {
    calls.push({ method, params, ctx });
    return answer(method);
  };
}

describe('registerAdminIpc', () => {
  it('registers exactly one handler per ADMIN_METHODS entry, on derived channels', () => {
    const ipc = new FakeIpcMain();
    registerAdminIpc(ipc, recordingDispatch([]), ORIGIN);
    const expected = Object.keys(ADMIN_METHODS).map((m) => `valetkey:admin:${m}`);
    expect([...ipc.registrations].sort()).toEqual([...expected].sort());
    expect(new Set(ipc.registrations).size).toBe(ipc.registrations.length);
  });

  it('passes every method, its params and an ipc context with a person present to dispatch', async () => {
    const ipc = new FakeIpcMain();
    const calls: Call[] = [];
    registerAdminIpc(ipc, recordingDispatch(calls), ORIGIN);
    for (const method of Object.keys(ADMIN_METHODS) as AdminMethod[]) {
      const answer = await ipc.invoke(adminChannel(method), topFrame(PAGE), { marker: method });
      expect(answer).toEqual({ ok: true, value: { echoed: method } });
    }
    expect(calls.map((c) => c.method)).toEqual(Object.keys(ADMIN_METHODS));
    for (const call of calls) {
      expect(call.params).toEqual({ marker: call.method });
      expect(call.ctx).toEqual({ via: 'ipc', personPresent: true });
    }
  });

  it('answers a VkError from the engine as {ok: false, error} with its code', async () => {
    const ipc = new FakeIpcMain();
    registerAdminIpc(ipc, async () => Promise.reject(new VkError('vault_locked')), ORIGIN);
    const answer = await ipc.invoke(adminChannel('listVaults'), topFrame(PAGE), {});
    expect(answer).toEqual({ ok: false, error: new VkError('vault_locked').toJSON() });
  });

  it('turns any other throw into internal_error without its message', async () => {
    const ipc = new FakeIpcMain();
    registerAdminIpc(ipc, async () => Promise.reject(new Error('hunter2 leaked into a bug')), ORIGIN);
    const answer = await ipc.invoke(adminChannel('status'), topFrame(PAGE), {});
    expect(answer).toMatchObject({ ok: false, error: { error: 'internal_error' } });
    expect(JSON.stringify(answer)).not.toContain('hunter2');
  });

  it('removes every handler when asked', () => {
    const ipc = new FakeIpcMain();
    const unregister = registerAdminIpc(ipc, recordingDispatch([]), ORIGIN);
    unregister();
    expect(ipc.handlers.size).toBe(0);
  });
});
