import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { startAdminServer, type AdminServer } from '../../../../src/core/admin/transport/admin-http-server.js';
import { ADMIN_METHODS, type AdminApi, type AdminMethod } from '../../../../src/shared/admin-api.js';
import { createHttpAdminClient, type HttpAdminClient } from '../../../../src/shared/admin-client/http-admin-client.js';
import { VkError } from '../../../../src/shared/errors.js';
import type { AdminEvent } from '../../../../src/shared/model.js';
import { StandInEngine, waitFor } from './stand-in-engine.js';

const SECRET = 'client-test-session-secret-0123456789';
const METHODS = Object.keys(ADMIN_METHODS) as AdminMethod[];

let base: string;
let engine: StandInEngine;
let server: AdminServer;
let clients: { readonly via: 'http' | 'socket'; readonly client: HttpAdminClient }[];

beforeAll(async () => {
  base = mkdtempSync(join(tmpdir(), 'vk-admin-client-'));
  engine = new StandInEngine();
  server = await startAdminServer({
    dispatch: engine.dispatch,
    events: engine.events,
    sessionSecret: SECRET,
    tcp: { host: '127.0.0.1', port: 0 },
    socketPath: join(base, 'valetkey', 'admin.sock'),
  });
  clients = [
    { via: 'http', client: createHttpAdminClient({ baseUrl: `http://127.0.0.1:${server.tcpPort}`, sessionSecret: SECRET }) },
    { via: 'socket', client: createHttpAdminClient({ socketPath: server.socketPath, sessionSecret: SECRET }) },
  ];
});
afterAll(async () => {
  await server.close();
  rmSync(base, { recursive: true, force: true });
});
beforeEach(() => {
  engine.calls.length = 0;
  engine.failWith = undefined;
});

/** Call a method by name with loose params: the contract's types are checked elsewhere, here the wire is. */
function callByName(client: AdminApi, method: AdminMethod, params: unknown): Promise<unknown> {
  return (client[method] as (p: unknown) => Promise<unknown>)(params);
}

describe.each(['http', 'socket'] as const)('HTTP admin client over %s', (via) => {
  const client = (): HttpAdminClient => clients.find((c) => c.via === via)?.client as HttpAdminClient;

  it('round-trips every method in ADMIN_METHODS with its name and params', async () => {
    for (const method of METHODS) {
      const params = { probe: method, nested: { list: [1, 'ü', null, true] }, emoji: '🔑' };
      await expect(callByName(client(), method, params)).resolves.toEqual({ method, params });
    }
    expect(engine.calls.map((c) => c.method)).toEqual(METHODS);
    for (const call of engine.calls) {
      expect(call.params).toEqual({ probe: call.method, nested: { list: [1, 'ü', null, true] }, emoji: '🔑' });
      expect(call.ctx).toEqual({ via, personPresent: false });
    }
  });

  it('rethrows a VkError from the dispatcher with the same code and message', async () => {
    engine.failWith = new VkError('grant_required');
    const e1 = await client().createVault({ vault: { name: 'x' } } as never).catch((e: unknown) => e);
    expect(e1).toBeInstanceOf(VkError);
    expect((e1 as VkError).code).toBe('grant_required');
    expect((e1 as VkError).message).toBe(new VkError('grant_required').message);
    engine.failWith = new VkError('not_found', 'vault "payroll"');
    const e2 = await client().listEntries({ vaultId: 'payroll' }).catch((e: unknown) => e);
    expect((e2 as VkError).code).toBe('not_found');
    expect((e2 as VkError).status).toBe(404);
    expect((e2 as VkError).message).toContain('vault "payroll"');
  });

  it('turns a bug in the engine into internal_error without its message reaching the client or stderr', async () => {
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      engine.failWith = new Error('decrypt failed for passphrase hunter2-secret');
      const e = await client().status({}).catch((x: unknown) => x);
      expect((e as VkError).code).toBe('internal_error');
      expect((e as VkError).message).not.toContain('hunter2');
      const logged = stderr.mock.calls.map((c) => String(c[0])).join('');
      expect(logged).toContain('internal error');
      expect(logged).not.toContain('hunter2');
    } finally {
      stderr.mockRestore();
    }
  });

  it('delivers engine events in order through subscribe(), and unsubscribes', async () => {
    const seen: AdminEvent[] = [];
    const before = engine.subscribers;
    const stop = await client().subscribe((e) => seen.push(e));
    await waitFor(() => engine.subscribers === before + 1);
    const sent: AdminEvent[] = [
      { type: 'lock.changed', locked: false },
      { type: 'agents.paused', paused: true },
      { type: 'vaults.changed' },
      { type: 'agents.paused', paused: false },
      { type: 'lock.changed', locked: true },
    ];
    for (const e of sent) engine.emit(e);
    await waitFor(() => seen.length === sent.length);
    expect(seen).toEqual(sent);
    stop();
    await waitFor(() => engine.subscribers === before);
  });
});

describe('HTTP admin client failures', () => {
  it('reports engine_unreachable when no socket file exists', async () => {
    const client = createHttpAdminClient({ socketPath: join(base, 'nothing', 'admin.sock'), sessionSecret: SECRET });
    const e = await client.status({}).catch((x: unknown) => x);
    expect((e as VkError).code).toBe('engine_unreachable');
    await expect(client.subscribe(() => undefined)).rejects.toMatchObject({ code: 'engine_unreachable' });
  });

  it('reports engine_unreachable when nothing listens on the port', async () => {
    const port = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port: free } = probe.address() as { port: number };
        probe.close(() => resolve(free));
      });
    });
    const client = createHttpAdminClient({ baseUrl: `http://127.0.0.1:${port}`, sessionSecret: SECRET });
    await expect(client.status({})).rejects.toMatchObject({ code: 'engine_unreachable' });
  });

  it('reports unauthorized with the wrong session secret, for calls and for events', async () => {
    const client = createHttpAdminClient({ socketPath: server.socketPath, sessionSecret: 'not-the-session-secret' });
    await expect(client.status({})).rejects.toMatchObject({ code: 'unauthorized' });
    await expect(client.subscribe(() => undefined)).rejects.toMatchObject({ code: 'unauthorized' });
    expect(engine.calls).toHaveLength(0);
  });

  it('refuses to send the session secret to a host that is not loopback', () => {
    expect(() => createHttpAdminClient({ baseUrl: 'http://evil.example:4100', sessionSecret: SECRET })).toThrow(/127\.0\.0\.1/);
    expect(() => createHttpAdminClient({ baseUrl: 'https://127.0.0.1:4100', sessionSecret: SECRET })).toThrow();
  });

  it('tells a subscriber when the engine goes away', async () => {
    const local = new StandInEngine();
    const path = join(base, 'short-lived', 'admin.sock');
    const shortLived = await startAdminServer({ dispatch: local.dispatch, events: local.events, sessionSecret: SECRET, socketPath: path });
    const client = createHttpAdminClient({ socketPath: path, sessionSecret: SECRET });
    let ended = false;
    await client.subscribe(() => undefined, () => (ended = true));
    await waitFor(() => local.subscribers === 1);
    await shortLived.close();
    await waitFor(() => ended);
    expect(local.subscribers).toBe(0);
  });
});
