import { describe, expect, it, vi } from 'vitest';
import { createInProcessClient } from '../../../../src/core/admin/transport/in-process.js';
import { ADMIN_METHODS, type AdminDispatcher, type AdminMethod } from '../../../../src/shared/admin-api.js';
import { VkError } from '../../../../src/shared/errors.js';
import { StandInEngine } from './stand-in-engine.js';

const METHODS = Object.keys(ADMIN_METHODS) as AdminMethod[];

describe('in-process admin client', () => {
  it('covers every method in ADMIN_METHODS and passes the default context', async () => {
    const engine = new StandInEngine();
    const client = createInProcessClient(engine.dispatch);
    for (const method of METHODS) {
      const call = client[method] as (p: unknown) => Promise<unknown>;
      await expect(call({ probe: method })).resolves.toEqual({ method, params: { probe: method } });
    }
    expect(engine.calls.map((c) => c.method)).toEqual(METHODS);
    expect(engine.calls.every((c) => c.ctx.via === 'in-process' && !c.ctx.personPresent)).toBe(true);
  });

  it('shares no mutable object between caller and engine, either way', async () => {
    const kept = { items: [{ name: 'engine-owned' }] };
    const seen: unknown[] = [];
    const dispatch: AdminDispatcher = async (_method, params) => {
      seen.push(params);
      (params as { vaultId: string }).vaultId = 'changed by engine';
      return kept;
    };
    const client = createInProcessClient(dispatch);
    const params = { vaultId: 'v1' };
    const result = (await client.listEntries(params)) as unknown as typeof kept;
    expect(params.vaultId).toBe('v1');
    expect(seen[0]).not.toBe(params);
    expect(result).toEqual(kept);
    expect(result).not.toBe(kept);
    result.items[0]!.name = 'changed by caller';
    expect(kept.items[0]!.name).toBe('engine-owned');
  });

  it('passes a given context through, and errors arrive as a remote caller would see them', async () => {
    const engine = new StandInEngine();
    const client = createInProcessClient(engine.dispatch, { via: 'ipc', personPresent: true });
    await client.status({});
    expect(engine.calls[0]?.ctx).toEqual({ via: 'ipc', personPresent: true });

    engine.failWith = new VkError('vault_locked');
    await expect(client.status({})).rejects.toMatchObject({ code: 'vault_locked' });
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      engine.failWith = new TypeError('oops with secret s3cr3t');
      const e = await client.status({}).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(VkError);
      expect((e as VkError).code).toBe('internal_error');
      expect(stderr.mock.calls.map((c) => String(c[0])).join('')).not.toContain('s3cr3t');
    } finally {
      stderr.mockRestore();
    }
  });
});
