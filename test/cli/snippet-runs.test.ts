/**
 * The token wizard's Shell snippet, run verbatim by `sh` in another directory, against a real
 * engine: `valetkey` comes from PATH (as `npm link` puts it there), the reference names a real
 * entry of the token's vault, and the secret comes out.
 */
import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enrollmentSnippets } from '../../src/renderer/lib/enrollment-snippets.js';
import { PASSPHRASE, VALETKEY, cliEnv, startDaemonProcess, type DaemonProcess } from '../helpers/cli.js';
import { tempHome } from '../helpers/temp-home.js';
import { ok } from './agent-cli-helpers.js';

const NO_DBUS = { DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/valetkey-test-bus' };
const SECRET = 'bank-password-5521';
const asPerson = { input: `${PASSPHRASE}\n`, env: NO_DBUS };

describe('the Shell snippet', { timeout: 240_000 }, () => {
  const home = tempHome('vk-snip-');
  const elsewhere = mkdtempSync(join(tmpdir(), 'vk-snip-cwd-'));
  let daemon: DaemonProcess;

  beforeAll(async () => {
    daemon = await startDaemonProcess(home.dir, NO_DBUS, { args: ['--init-if-needed'], input: `y\n${PASSPHRASE}\n` });
    await ok(home.dir, ['vault', 'create', 'Accounting'], asPerson);
    await ok(home.dir, ['item', 'add', 'Accounting', 'Bank account', '--username', 'acme'], { ...asPerson, input: `${PASSPHRASE}\n${SECRET}\n` });
    // What `npm link` installs: a `valetkey` on PATH that runs this checkout's bin/valetkey.cjs.
    writeFileSync(join(elsewhere, 'valetkey'), `#!/bin/sh\nexec "${process.execPath}" "${VALETKEY}" "$@"\n`);
    chmodSync(join(elsewhere, 'valetkey'), 0o755);
  });

  afterAll(async () => {
    expect(await daemon.stop()).toBe(0);
    home.cleanup();
    rmSync(elsewhere, { recursive: true, force: true });
  });

  it('runs as shown in another directory and prints the secret', async () => {
    const created = JSON.parse((await ok(home.dir, ['token', 'create', '--name', 'books-bot', '--vault', 'Accounting', '--read', '--lifespan', '1h', '--json'], asPerson)).stdout) as { enrollmentCode: string };
    const snippet = enrollmentSnippets(created.enrollmentCode, 'Accounting', { entryTitle: 'Bank account', field: 'password' }, 'books-bot').shell;
    const env = { ...cliEnv(home.dir, NO_DBUS), PATH: `${elsewhere}:${process.env.PATH ?? ''}` };
    const result = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = spawn('sh', ['-c', snippet], { cwd: elsewhere, env, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout.trim().split('\n').at(-1)).toBe(SECRET);
    expect(result.stdout).toMatch(/expires: .+ \(local time\)/);
  });

  it('says so when a login replaces another agent in the same profile', async () => {
    const created = JSON.parse((await ok(home.dir, ['token', 'create', '--name', 'other-bot', '--vault', 'Accounting', '--read', '--lifespan', '1h', '--json'], asPerson)).stdout) as { enrollmentCode: string };
    const login = await ok(home.dir, ['login', '--enroll', created.enrollmentCode], { env: NO_DBUS });
    expect(login.stderr).toContain('Profile default was logged in as books-bot: that login is replaced and its token revoked');
  });
});
