import { describe, expect, it } from 'vitest';
import { ADMIN_METHODS, type AdminMethod } from '../../src/shared/admin-api.js';
import { VkError } from '../../src/shared/errors.js';
import { createAdminProxy } from '../../src/preload/admin-proxy.js';
import { fileAppOrigin } from '../../src/main/app-origin.js';
import { registerAdminIpc } from '../../src/main/ipc-bridge.js';
import { bridgeCall } from '../../src/renderer/api/bridge-call.js';
import { FakeIpcMain, topFrame } from '../main/fake-ipc-main.js';

describe('createAdminProxy', () => {
  it('has exactly the ADMIN_METHODS, each invoking its derived channel with the params', async () => {
    const invoked: Array<readonly [string, unknown]> = [];
    const api = createAdminProxy(async (channel, params) => {
      invoked.push([channel, params]);
      return { ok: true, value: channel };
    });
    expect(Object.keys(api).sort()).toEqual(Object.keys(ADMIN_METHODS).sort());
    for (const method of Object.keys(ADMIN_METHODS) as AdminMethod[]) {
      const call = api[method] as (p: unknown) => Promise<unknown>;
      await expect(call({ m: method })).resolves.toEqual({ ok: true, value: `valetkey:admin:${method}` });
    }
    expect(invoked.map(([, p]) => p)).toEqual(Object.keys(ADMIN_METHODS).map((m) => ({ m })));
  });

  it('hands the page the engine’s error as the structured {error, error_description} it is, never throwing', async () => {
    const wire = new VkError('vault_locked').toJSON();
    const api = createAdminProxy(async () => ({ ok: false, error: wire }));
    await expect(api.listVaults({})).resolves.toEqual({ ok: false, error: wire });
  });

  it('answers internal_error for a malformed answer or a rejected invoke, without their text', async () => {
    const malformed = await createAdminProxy(async () => 'vault_locked: not a result').status({});
    expect(malformed).toEqual({ ok: false, error: new VkError('internal_error').toJSON() });
    const rejected = await createAdminProxy(() => Promise.reject(new Error("Error invoking remote method 'x': secret-ish"))).status({});
    expect(rejected).toEqual({ ok: false, error: new VkError('internal_error').toJSON() });
  });
});

describe('main → preload → page, with one error encoding end to end', () => {
  function pageApi(dispatch: (method: AdminMethod, params: unknown) => Promise<unknown>): (method: AdminMethod, params: unknown) => Promise<unknown> {
    const ipc = new FakeIpcMain();
    const origin = fileAppOrigin('file:///app/out/renderer');
    registerAdminIpc(ipc, dispatch, origin);
    // structuredClone stands in for the contextBridge (not available outside Electron): plain data only.
    const proxy = createAdminProxy(async (channel, params) => structuredClone(await ipc.invoke(channel, topFrame('file:///app/out/renderer/index.html'), params)));
    return bridgeCall(proxy);
  }

  it('round-trips every method’s value, and an engine error arrives as a VkError with its code and description', async () => {
    const call = pageApi(async (method, params) => {
      if (method === 'unlock') throw new VkError('passphrase_invalid');
      if (method === 'createVault') throw new VkError('conflict', 'a vault named Work exists');
      return { method, params };
    });
    await expect(call('queryAudit', { limit: 5 })).resolves.toEqual({ method: 'queryAudit', params: { limit: 5 } });
    const wrong = await call('unlock', { passphrase: 'wrong' }).catch((e: unknown) => e);
    expect(wrong).toBeInstanceOf(VkError);
    expect((wrong as VkError).code).toBe('passphrase_invalid');
    expect((wrong as VkError).message).toBe(new VkError('passphrase_invalid').message);
    expect((wrong as VkError).message).not.toContain('wrong');
    const conflict = await call('createVault', { vault: { name: 'Work' } }).catch((e: unknown) => e);
    expect([(conflict as VkError).code, (conflict as VkError).message]).toEqual(['conflict', new VkError('conflict', 'a vault named Work exists').message]);
  });

  it('a bug in the main process reaches the page as internal_error, never its text', async () => {
    const call = pageApi(async () => {
      throw new TypeError('secret-ish: cannot read property of undefined');
    });
    const error = await call('status', {}).catch((e: unknown) => e);
    expect((error as VkError).code).toBe('internal_error');
    expect((error as VkError).message).not.toContain('secret-ish');
  });

  it('an unknown code from the engine becomes internal_error on the page', async () => {
    const proxy = createAdminProxy(async () => ({ ok: false, error: { error: 'not_a_code', error_description: 'hello' } }));
    const error = await bridgeCall(proxy)('status', {}).catch((e: unknown) => e);
    expect((error as VkError).code).toBe('internal_error');
    expect((error as VkError).message).not.toContain('hello');
  });
});
