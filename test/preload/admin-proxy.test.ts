import { describe, expect, it } from 'vitest';
import { ADMIN_METHODS, type AdminMethod } from '../../src/shared/admin-api.js';
import { VkError } from '../../src/shared/errors.js';
import { createAdminProxy, toBridgeError } from '../../src/preload/admin-proxy.js';
import { fileAppOrigin } from '../../src/main/app-origin.js';
import { registerAdminIpc } from '../../src/main/ipc-bridge.js';
import { errorCodeOf } from '../../src/renderer/error-code.js';
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
      await expect(call({ m: method })).resolves.toBe(`valetkey:admin:${method}`);
    }
    expect(invoked.map(([, p]) => p)).toEqual(Object.keys(ADMIN_METHODS).map((m) => ({ m })));
  });

  it('throws the error code so that it survives the contextBridge', async () => {
    const api = createAdminProxy(async () => ({ ok: false, error: new VkError('vault_locked').toJSON() }));
    const error = await api.listVaults({}).catch((e: unknown) => e);
    // contextBridge keeps only the message: rebuild what the page would see.
    const seenByPage = new Error((error as Error).message);
    expect(errorCodeOf(seenByPage)).toBe('vault_locked');
  });

  it('treats a malformed answer as internal_error', async () => {
    const api = createAdminProxy(async () => 'not a result');
    const error = await api.status({}).catch((e: unknown) => e);
    expect(errorCodeOf(error)).toBe('internal_error');
  });

  it('makes the page read unknown or missing codes as internal_error', () => {
    expect(errorCodeOf(new Error('not_a_code: hello'))).toBe('internal_error');
    expect(errorCodeOf('vault_locked')).toBe('internal_error');
    expect(errorCodeOf(toBridgeError(new VkError('agents_paused')))).toBe('agents_paused');
  });
});

describe('preload proxy through the main-process bridge', () => {
  it('round-trips every method and an engine error, with one contract on both sides', async () => {
    const ipc = new FakeIpcMain();
    const origin = fileAppOrigin('file:///app/out/renderer');
    registerAdminIpc(
      ipc,
      async (method, params) => {
        if (method === 'unlock') throw new VkError('passphrase_invalid');
        return { method, params };
      },
      origin,
    );
    const api = createAdminProxy((channel, params) => ipc.invoke(channel, topFrame('file:///app/out/renderer/index.html'), params));
    await expect(api.queryAudit({ limit: 5 })).resolves.toEqual({ method: 'queryAudit', params: { limit: 5 } });
    const error = await api.unlock({ passphrase: 'wrong' }).catch((e: unknown) => e);
    expect(errorCodeOf(error)).toBe('passphrase_invalid');
    expect(String((error as Error).message)).not.toContain('wrong');
  });
});
