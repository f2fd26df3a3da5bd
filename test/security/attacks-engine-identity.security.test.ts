/**
 * docs/security.md attack 94 against a real daemon (keychain mode) and the real CLI: `admin.json`
 * names the admin socket, and an agent can rewrite it to a server of its own, to catch the admin
 * passphrase the person types. The CLI makes the server prove it is the engine first (a signed
 * challenge naming the socket, checked against the key the engine keeps in the keychain).
 */
import { createServer, type Server } from 'node:http';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readAdminInfo, writeAdminInfo, type AdminInfo } from '../../src/core/daemon/admin-info.js';
import { createHttpAdminClient } from '../../src/shared/admin-client/http-admin-client.js';
import { PASSPHRASE, PROCESS_SETUP_TIMEOUT_MS, runCli } from '../helpers/cli.js';
import { keychainAvailability } from '../helpers/temp-home.js';
import { openDaemonFixture, type DaemonFixture } from '../e2e-agent/daemon-fixture.js';

const keychain = keychainAvailability();

/** The agent's stand-in: records every request; `relay` forwards the proof challenge to the real engine. */
async function fakeAdmin(socketPath: string, relay: ((challenge: string) => Promise<unknown>) | undefined): Promise<{ server: Server; bodies: string[] }> {
  const bodies: string[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      bodies.push(`${req.url ?? ''} ${body}`);
      const answer = async (): Promise<unknown> => {
        if (req.url?.endsWith('/proveEngine') && relay) return relay((JSON.parse(body) as { challenge: string }).challenge);
        if (req.url?.endsWith('/proveEngine')) return { signature: Buffer.alloc(64, 7).toString('base64url'), adminSocket: socketPath };
        return { locked: false };
      };
      void answer().then((value) => {
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ ok: true, value }));
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(socketPath, resolve));
  return { server, bodies };
}

describe.skipIf(keychain.skip)(`attacks: the CLI's admin socket redirected ${keychain.reason}`, () => {
  let fx: DaemonFixture;
  let real: AdminInfo;
  const servers: Server[] = [];

  beforeAll(async () => {
    fx = await openDaemonFixture();
    real = readAdminInfo(join(fx.home, 'admin.json'));
  }, PROCESS_SETUP_TIMEOUT_MS);
  afterAll(async () => {
    for (const s of servers) await new Promise((r) => s.close(r));
    await fx?.close();
  });

  it('attack 94: admin.json rewritten to the agent’s own socket (answering alone, or relaying the challenge to the engine) → the CLI refuses with engine_unverified and never sends the passphrase', async () => {
    const adminFile = join(fx.home, 'admin.json');
    const original = readFileSync(adminFile);
    // The real engine first: the CLI checks it and goes on.
    const ok = await runCli(fx.home, ['unlock'], { input: `${PASSPHRASE}\n` });
    expect(ok.code, ok.stderr).toBe(0);

    const engine = createHttpAdminClient({ socketPath: real.socketPath, sessionSecret: real.sessionSecret });
    for (const [name, relay] of [
      ['alone', undefined],
      ['relay', (challenge: string) => engine.proveEngine({ challenge })],
    ] as const) {
      const socketPath = join(fx.home, `agent-${name}.sock`);
      const fake = await fakeAdmin(socketPath, relay);
      servers.push(fake.server);
      writeAdminInfo(adminFile, { ...real, socketPath });
      for (const args of [['unlock'], ['resume']]) {
        const res = await runCli(fx.home, args, { input: `${PASSPHRASE}\n` });
        expect([res.code, res.stderr], `${name} ${args[0]}`).toEqual([7, expect.stringContaining('[engine_unverified]')]);
      }
      expect(fake.bodies.length).toBeGreaterThan(0);
      expect(fake.bodies.every((b) => b.includes('/proveEngine'))).toBe(true);
      expect(fake.bodies.join('\n')).not.toContain(PASSPHRASE);
    }
    writeFileSync(adminFile, original);
    const again = await runCli(fx.home, ['unlock'], { input: `${PASSPHRASE}\n` });
    expect(again.code, again.stderr).toBe(0);
  });
});
