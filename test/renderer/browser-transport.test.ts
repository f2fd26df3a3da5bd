/**
 * The browser dashboard's transport against a real loopback HTTP server: the engine's structured
 * `{ok, value}` / `{ok: false, error}` answers (and a route's bare `{error, error_description}`)
 * become values or the engine's own VkError; nothing is parsed out of text.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postJson } from '../../src/renderer/api/browser-transport.js';
import { VkError } from '../../src/shared/errors.js';

const ANSWERS: Record<string, { status: number; body: string }> = {
  '/value': { status: 200, body: JSON.stringify({ ok: true, value: { vaults: 2 } }) },
  '/engine-error': { status: 409, body: JSON.stringify({ ok: false, error: new VkError('conflict', 'a vault named Work exists').toJSON() }) },
  '/route-error': { status: 401, body: JSON.stringify(new VkError('grant_required').toJSON()) },
  '/unknown-code': { status: 400, body: JSON.stringify({ ok: false, error: { error: 'not_a_code', error_description: 'hello' } }) },
  '/text': { status: 500, body: 'vault_locked: Valetkey is locked.' },
  '/unauthorized': { status: 401, body: 'no' },
};

let server: Server;
let base: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    const answer = ANSWERS[req.url ?? ''] ?? { status: 404, body: '' };
    res.writeHead(answer.status, { 'content-type': 'application/json' }).end(answer.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

async function failure(path: string): Promise<VkError> {
  const e = await postJson(`${base}${path}`, {}).catch((error: unknown) => error);
  expect(e).toBeInstanceOf(VkError);
  return e as VkError;
}

describe('postJson', () => {
  it('returns the value of an ok answer', async () => {
    await expect(postJson(`${base}/value`, {})).resolves.toEqual({ vaults: 2 });
  });

  it('throws the engine’s error with its code and description, from the structured answer', async () => {
    const e = await failure('/engine-error');
    expect([e.code, e.message]).toEqual(['conflict', new VkError('conflict', 'a vault named Work exists').message]);
    expect((await failure('/route-error')).code).toBe('grant_required');
  });

  it('reads no code out of text, and turns an unknown code into internal_error', async () => {
    expect((await failure('/text')).code).toBe('internal_error');
    const unknown = await failure('/unknown-code');
    expect(unknown.code).toBe('internal_error');
    expect(unknown.message).not.toContain('hello');
    expect((await failure('/unauthorized')).code).toBe('unauthorized');
  });

  it('says engine_unreachable when nothing answers', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const e = await postJson(`http://127.0.0.1:${port}/x`, {}).catch((error: unknown) => error);
    expect((e as VkError).code).toBe('engine_unreachable');
  });
});
