/**
 * The git credential helper's refusals (docs/security.md, attacks 62–64): a host no entry allows,
 * a use-only token, plain HTTP off loopback. Each is refused by the engine with an audit row, and
 * the password reaches neither git nor the server.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DaemonProcess } from '../helpers/cli.js';
import { tempHome } from '../helpers/temp-home.js';
import { AS_PERSON, BIN_DIR, NO_DBUS, auditRows, loginAgent, ok, run, startEngine } from '../helpers/tool-fixture.js';

const PASSWORD = 'gitpass/Refused+5519';
const HOST = '127.0.0.1:43211';

describe('git credential helper refusals', { timeout: 180_000 }, () => {
  const home = tempHome('vk-gits-');
  let daemon: DaemonProcess;
  const helper = join(BIN_DIR, 'git-credential-valetkey.mjs');
  const get = (profile: string, input: string) =>
    run(process.execPath, [helper, 'get'], { env: { ...process.env, ...NO_DBUS, VALETKEY_HOME: home.dir, VALETKEY_PROFILE: profile, VALETKEY_REASON: 'push' }, input });

  beforeAll(async () => {
    daemon = await startEngine(home.dir);
    await ok(home.dir, ['vault', 'create', 'Code'], AS_PERSON);
    await ok(home.dir, ['item', 'add', 'Code', 'Forge', '--username', 'builder', '--allowed-host', HOST, '--allowed-host', 'git.example.com'], { ...AS_PERSON, input: `${AS_PERSON.input}${PASSWORD}\n` });
    await loginAgent(home.dir, 'reader', ['--vault', 'Code', '--read', '--lifespan', '1h']);
    await loginAgent(home.dir, 'user', ['--vault', 'Code', '--use', '--lifespan', '1h']);
  });

  afterAll(async () => {
    expect(await daemon.stop()).toBe(0);
    home.cleanup();
  });

  async function refusals(): Promise<string[]> {
    return (await auditRows(home.dir, 'secret.read')).filter((row) => row.outcome === 'refused').map((row) => row.errorCode ?? '');
  }

  it('attack 62: a host no entry allows (another port, another name for the same server) gets no login', async () => {
    for (const host of ['127.0.0.1:43212', `localhost:${HOST.split(':')[1] ?? ''}`]) {
      const r = await get('reader', `protocol=http\nhost=${host}\n\n`);
      expect(r.code).toBe(9);
      expect(r.stderr).toContain('host_not_allowed');
      expect(r.stdout + r.stderr).not.toContain(PASSWORD);
    }
    expect(await refusals()).toEqual(['host_not_allowed', 'host_not_allowed']);
  });

  it('attack 63: a use-only token cannot pull the password out through the helper (git would hold it)', async () => {
    const r = await get('user', `protocol=http\nhost=${HOST}\n\n`);
    expect(r.code).toBe(9);
    expect(r.stderr).toContain('insufficient_scope');
    expect(r.stdout + r.stderr).not.toContain(PASSWORD);
    expect((await refusals())[0]).toBe('insufficient_scope');
  });

  it('attack 64: plain http to a host off loopback is refused, even one the entry allows', async () => {
    const r = await get('reader', 'protocol=http\nhost=git.example.com\n\n');
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stdout + r.stderr).not.toContain(PASSWORD);
    expect((await refusals())[0]).toBe('invalid_request');
    // The same host over https is answered: the refusal was the scheme, not the host.
    expect((await get('reader', 'protocol=https\nhost=git.example.com\n\n')).stdout).toBe(`username=builder\npassword=${PASSWORD}\n`);
  });
});
