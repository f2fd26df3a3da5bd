/**
 * use(): the engine fills a secret into an HTTP request and sends it, the agent gets the answer
 * with the secret redacted and never sees it. Against a real engine process and real local HTTP
 * servers that count what reaches them: a host not on the entry's list gets nothing at all.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HostNotAllowedError, InsufficientScopeError, Valetkey } from '../src/index.js';
import { GRANT, PROCESS_SETUP_TIMEOUT_MS, createToken, seed, startEngineProcess, type EngineProcess } from './helpers/engine-process.js';

const API_KEY = 'sk-live-SDK-use-4417-secret';
const REF = 'vk://Accounting/Webhook/api_key';

interface Target {
  readonly server: Server;
  readonly port: number;
  readonly seen: { authorization: string | undefined; body: string }[];
}

/** Echoes what it received, so a leak of the key into the answer would show. */
async function startTarget(): Promise<Target> {
  const seen: Target['seen'] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      seen.push({ authorization: req.headers.authorization, body });
      res.setHeader('Content-Type', 'application/json');
      res.setHeader('X-Echo-Auth', req.headers.authorization ?? '');
      res.end(JSON.stringify({ ok: true, youSent: req.headers.authorization, body }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port, seen };
}

describe('use() without exposure (real engine, real targets)', () => {
  let e: EngineProcess;
  let allowed: Target;
  let other: Target;
  let vk: Valetkey;

  beforeAll(async () => {
    [e, allowed, other] = await Promise.all([startEngineProcess(), startTarget(), startTarget()]);
    const { accounting } = await seed(e);
    await e.admin('createEntry', {
      grant: GRANT,
      vaultId: accounting.id,
      entry: { title: 'Webhook', kind: 'api_key', fields: { apiKey: API_KEY }, allowedHosts: [`127.0.0.1:${allowed.port}`] },
    });
    const { code } = await createToken(e, { name: 'use-bot', vaults: [accounting.id], actions: ['use'] });
    vk = await Valetkey.connect({ reason: 'post the nightly report', enrollCode: code, name: 'use-bot', env: e.agentEnv() });
  }, PROCESS_SETUP_TIMEOUT_MS);

  afterAll(async () => {
    await vk?.close().catch(() => undefined);
    allowed?.server.close();
    other?.server.close();
    await e?.stop();
  });

  it('sends the filled-in request to an allowed host and answers with the value redacted', async () => {
    const res = await vk.use({
      method: 'POST',
      url: `http://127.0.0.1:${allowed.port}/report`,
      headers: { Authorization: `Bearer {{${REF}}}` },
      body: JSON.stringify({ key: `{{${REF}}}`, text: 'nightly' }),
    });
    expect(allowed.seen.at(-1)?.authorization).toBe(`Bearer ${API_KEY}`); // the target got the real key
    expect(res.status).toBe(200);
    expect(JSON.stringify(res)).not.toContain(API_KEY); // the agent did not
    expect(JSON.parse(res.body).youSent).toBe(`Bearer [REDACTED:${REF}]`);
    expect(res.headers['x-echo-auth']).toBe(`Bearer [REDACTED:${REF}]`);
    expect(res.redactions).toBeGreaterThanOrEqual(3);
  });

  it('refuses a host not on the entry’s list with HostNotAllowedError, and nothing reaches it', async () => {
    await expect(vk.use({ method: 'GET', url: `http://127.0.0.1:${other.port}/x`, headers: { 'X-Key': `{{${REF}}}` } })).rejects.toBeInstanceOf(HostNotAllowedError);
    expect(other.seen).toHaveLength(0);
  });

  it('a use-only token cannot read the value itself', async () => {
    await expect(vk.read(REF)).rejects.toBeInstanceOf(InsufficientScopeError);
  });
});
