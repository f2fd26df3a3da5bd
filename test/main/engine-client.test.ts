import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import type { AdminEvent } from '../../src/shared/model.js';
import { VkError } from '../../src/shared/errors.js';
import { createEngineClient, type EngineRequest } from '../../src/main/engine-client.js';

/** Plays the engine's side of the utility-process pipe. */
class FakeEnginePort extends EventEmitter {
  readonly sent: EngineRequest[] = [];
  postMessage(message: EngineRequest): void {
    this.sent.push(message);
  }
  reply(message: unknown): void {
    this.emit('message', message);
  }
}

const CTX = { via: 'ipc', personPresent: true } as const;

describe('createEngineClient', () => {
  it('sends a request and resolves with the matching result, whatever the order', async () => {
    const port = new FakeEnginePort();
    const client = createEngineClient(port);
    const first = client.dispatch('status', {}, CTX);
    const second = client.dispatch('listVaults', {}, CTX);
    const [a, b] = port.sent;
    expect(a).toMatchObject({ kind: 'admin', method: 'status', params: {}, ctx: CTX });
    expect(b?.id).not.toBe(a?.id);
    port.reply({ kind: 'result', id: b?.id, result: { ok: true, value: ['vaults'] } });
    port.reply({ kind: 'result', id: a?.id, result: { ok: true, value: 'status' } });
    await expect(first).resolves.toBe('status');
    await expect(second).resolves.toEqual(['vaults']);
  });

  it('rejects with the VkError the engine reported', async () => {
    const port = new FakeEnginePort();
    const client = createEngineClient(port);
    const call = client.dispatch('unlock', { passphrase: 'x' }, CTX);
    port.reply({ kind: 'result', id: port.sent[0]?.id, result: { ok: false, error: new VkError('passphrase_invalid').toJSON() } });
    await expect(call).rejects.toMatchObject({ code: 'passphrase_invalid' });
  });

  it('ignores malformed and unknown messages', async () => {
    const port = new FakeEnginePort();
    const client = createEngineClient(port);
    const call = client.dispatch('status', {}, CTX);
    const id = port.sent[0]?.id;
    for (const junk of [null, 'x', { kind: 'result' }, { kind: 'result', id }, { kind: 'result', id: 999, result: { ok: true } }, { kind: 'event' }]) {
      port.reply(junk);
    }
    port.reply({ kind: 'result', id, result: { ok: true, value: 42 } });
    await expect(call).resolves.toBe(42);
  });

  it('delivers events to subscribers until they unsubscribe', () => {
    const port = new FakeEnginePort();
    const client = createEngineClient(port);
    const seen: AdminEvent[] = [];
    const unsubscribe = client.events((e) => seen.push(e));
    port.reply({ kind: 'event', event: { type: 'lock.changed', locked: true } });
    unsubscribe();
    port.reply({ kind: 'event', event: { type: 'lock.changed', locked: false } });
    expect(seen).toEqual([{ type: 'lock.changed', locked: true }]);
  });

  it('fails waiting and later calls with engine_unreachable once closed', async () => {
    const port = new FakeEnginePort();
    const client = createEngineClient(port);
    const waiting = client.dispatch('status', {}, CTX);
    client.close();
    await expect(waiting).rejects.toMatchObject({ code: 'engine_unreachable' });
    await expect(client.dispatch('status', {}, CTX)).rejects.toMatchObject({ code: 'engine_unreachable' });
  });
});
