/**
 * A person answering agents from a terminal, end to end: the device flow (the agent's `valetkey
 * login --scope` waits while the person runs `valetkey requests approve CODE`) and approvals of a
 * sensitive vault (`valetkey approvals approve|deny ID`), each with the admin passphrase.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, type DaemonProcess } from '../helpers/cli.js';
import { keychainAvailability, tempHome } from '../helpers/temp-home.js';
import { asPerson, createToken, ok, setUpEngine, startCli, waitForApproval } from './agent-cli-helpers.js';

const keychain = keychainAvailability();
const GITHUB = 'ghp_personal-token-9917';

describe.skipIf(keychain.skip)(`valetkey requests and approvals ${keychain.reason}`, { timeout: 240_000 }, () => {
  const home = tempHome('vk-appr-');
  let daemon: DaemonProcess;

  beforeAll(async () => {
    daemon = await setUpEngine(home.dir);
    await ok(home.dir, ['item', 'add', 'Accounting', 'Bank', '--username', 'acme', '--no-secret'], asPerson);
    await ok(home.dir, ['item', 'add', 'Personal', 'GitHub', '--kind', 'api_key'], { input: `${asPerson.input}${GITHUB}\n` });
  });

  afterAll(async () => {
    expect(await daemon.stop()).toBe(0);
    home.cleanup();
  });

  it('logs in by the device flow: prints the code, the person approves it (narrowed) from the CLI', async () => {
    const login = startCli(home.dir, ['login', '--scope', 'vault:Accounting:read vault:Accounting:use', '--reason', 'nightly report', '--lifespan', '1d', '--name', 'report-bot', '--profile', 'dev', '--json']);
    await login.waitFor(/Code: [A-Z]{4}-[A-Z]{4}/);
    const userCode = /Code: ([A-Z]{4}-[A-Z]{4})/.exec(login.stderr())?.[1] ?? '';
    const pending = JSON.parse((await ok(home.dir, ['requests', 'list', '--json'])).stdout) as { userCode: string; clientName: string; reason: string }[];
    expect(pending).toEqual([expect.objectContaining({ userCode, clientName: 'report-bot', reason: 'nightly report' })]);

    const approve = await ok(home.dir, ['requests', 'approve', userCode.toLowerCase(), '--read', '--lifespan', '2h'], asPerson);
    expect(approve.stderr).toContain(userCode); // shown to the person before the passphrase
    const done = await login.done;
    expect(done.code, done.stderr).toBe(0);
    const profile = JSON.parse(done.stdout) as { name: string; scope: string; expiresAt: string; profile: string };
    expect(profile).toMatchObject({ name: 'report-bot', profile: 'dev' });
    expect(profile.scope).toMatch(/^vault:\S+:read$/); // narrowed: no use
    expect(Date.parse(profile.expiresAt) - Date.now()).toBeLessThanOrEqual(2 * 3600 * 1000);
    expect((await ok(home.dir, ['read', 'vk://Accounting/Bank/username', '--profile', 'dev', '--reason', 'r'])).stdout).toBe('acme\n');
  });

  it('a denied device request ends the login with access_denied (exit 9)', async () => {
    const login = startCli(home.dir, ['login', '--scope', 'vault:Personal:read', '--reason', 'want everything', '--profile', 'greedy']);
    await login.waitFor(/Code: [A-Z]{4}-[A-Z]{4}/);
    const userCode = /Code: ([A-Z]{4}-[A-Z]{4})/.exec(login.stderr())?.[1] ?? '';
    await ok(home.dir, ['requests', 'deny', userCode], asPerson);
    const done = await login.done;
    expect(done.code).toBe(9);
    expect(done.stderr).toContain('[access_denied]');
    expect((await runCli(home.dir, ['whoami', '--profile', 'greedy'])).code).toBe(10);
  });

  it('approvals: a read of a sensitive vault waits until the person allows it, or fails when they deny', async () => {
    const { code } = await createToken(home.dir, 'gh-bot', ['--vault', 'Personal', '--read']);
    await ok(home.dir, ['login', '--enroll', code, '--name', 'gh-bot', '--profile', 'gh']);

    const read = startCli(home.dir, ['read', 'vk://Personal/GitHub/api_key', '--profile', 'gh', '--reason', 'tag the release']);
    const first = await waitForApproval(home.dir);
    // The agent's terminal says what it waits for before the person answers.
    await read.waitFor(/waiting for approval in Valetkey \(Personal, GitHub; up to \d+ s\)/);
    expect(first).toMatchObject({ agent: 'gh-bot', vaultName: 'Personal', entryTitle: 'GitHub', reason: 'tag the release', action: 'read' });
    const allowed = await ok(home.dir, ['approvals', 'approve', first.id], asPerson);
    expect(allowed.stderr).toContain('tag the release');
    const released = await read.done;
    expect(released.code, released.stderr).toBe(0);
    expect(released.stdout).toBe(`${GITHUB}\n`);

    const again = startCli(home.dir, ['read', 'vk://Personal/GitHub/api_key', '--profile', 'gh', '--reason', 'once more']);
    const second = await waitForApproval(home.dir);
    await ok(home.dir, ['approvals', 'deny', second.id], asPerson);
    const denied = await again.done;
    expect(denied.code).toBe(9);
    expect(denied.stderr).toContain('[approval_denied]');
    expect(denied.stdout).not.toContain(GITHUB);
  });
});
