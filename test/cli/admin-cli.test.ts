/**
 * The admin side of the CLI, end to end: a real daemon process, real keychain, real socket, and
 * the `valetkey` program in its own process for every command, as a person would use it.
 */
import { readFileSync, statSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadAllCommands } from '../../src/cli/command-index.js';
import { keychainAvailability, tempHome } from '../helpers/temp-home.js';
import { PASSPHRASE, runCli, startDaemonProcess, type DaemonProcess } from '../helpers/cli.js';

const keychain = keychainAvailability();
const SECRET = 'pw-Zq8!unique-cli-secret-7731';

describe.skipIf(keychain.skip)(`valetkey admin commands ${keychain.reason}`, () => {
  const home = tempHome();
  let daemon: DaemonProcess;

  beforeAll(async () => {
    const init = await runCli(home.dir, ['init'], { input: `${PASSPHRASE}\n` });
    expect(init.stderr).toBe('');
    expect(init.code).toBe(0);
    daemon = await startDaemonProcess(home.dir);
  });

  afterAll(async () => {
    expect(await daemon.stop()).toBe(0);
    home.cleanup();
  });

  it('reports status, unlocked with keys in the keychain', async () => {
    const r = await runCli(home.dir, ['status', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ locked: false, keyStorage: 'keychain', agentsPaused: false });
  });

  it('creates, lists, changes and removes vaults', async () => {
    const created = await runCli(home.dir, ['vault', 'create', 'Accounting', '--approval', 'every', '--json'], { input: `${PASSPHRASE}\n` });
    expect(created.code).toBe(0);
    expect(JSON.parse(created.stdout)).toMatchObject({ name: 'Accounting', approval: { mode: 'every_access' } });
    expect((await runCli(home.dir, ['vault', 'create', 'Scratch'], { input: `${PASSPHRASE}\n` })).code).toBe(0);

    const dup = await runCli(home.dir, ['vault', 'create', 'accounting'], { input: `${PASSPHRASE}\n` });
    expect(dup.code).toBe(6);
    expect(dup.stderr).toContain('[conflict]');

    const list = await runCli(home.dir, ['vault', 'list', '--json']);
    expect(JSON.parse(list.stdout).map((v: { name: string }) => v.name)).toEqual(['Accounting', 'Scratch']);

    const set = await runCli(home.dir, ['vault', 'set', 'Scratch', '--approval', 'once:10', '--json'], { input: `${PASSPHRASE}\n` });
    expect(JSON.parse(set.stdout).approval).toEqual({ mode: 'once_per_token', minutes: 10 });

    expect((await runCli(home.dir, ['vault', 'rm', 'Scratch'], { input: `${PASSPHRASE}\n` })).code).toBe(2);
    expect((await runCli(home.dir, ['vault', 'rm', 'Scratch', '--yes'], { input: `${PASSPHRASE}\n` })).code).toBe(0);
  });

  it('adds an entry with its secret from stdin, never argv, and reveals it with an audited reason', async () => {
    const add = await runCli(
      home.dir,
      ['item', 'add', 'Accounting', 'Bank', '--username', 'alice', '--url', 'https://bank.example', '--hidden-field', 'PIN', '--field', 'Region=EU', '--json'],
      { input: `${PASSPHRASE}\n${SECRET}\n4321\n` },
    );
    expect(add.code, add.stderr).toBe(0);
    expect(JSON.parse(add.stdout).fieldNames).toEqual(['username', 'password', 'url', 'custom:Region', 'custom:PIN']);

    const list = await runCli(home.dir, ['item', 'list', 'Accounting', '--search', 'ban']);
    expect(list.stdout).toContain('Bank');
    expect(list.stdout).not.toContain(SECRET);

    const get = await runCli(home.dir, ['item', 'get', 'Accounting', 'Bank', '--field', 'password', '--reason', 'pay the rent'], { input: `${PASSPHRASE}\n` });
    expect(get.code, get.stderr).toBe(0);
    expect(get.stdout.trim()).toBe(SECRET);
    const pin = await runCli(home.dir, ['item', 'get', 'Accounting', 'Bank', '--field', 'pin'], { input: `${PASSPHRASE}\n` });
    expect(pin.stdout.trim()).toBe('4321');

    const audit = await runCli(home.dir, ['audit', 'list', '--action', 'entry.reveal', '--json']);
    const rows = JSON.parse(audit.stdout).rows as { reason: string | null; actor: string }[];
    expect(rows.some((r) => r.reason === 'pay the rent' && r.actor === 'person')).toBe(true);
    expect(audit.stdout).not.toContain(SECRET);
  });

  it('edits an entry (new version) and removes it', async () => {
    const edit = await runCli(home.dir, ['item', 'edit', 'Accounting', 'Bank', '--password', '--title', 'Bank (EU)', '--json'], { input: `${PASSPHRASE}\nnew-${SECRET}\n` });
    expect(edit.code, edit.stderr).toBe(0);
    expect(JSON.parse(edit.stdout)).toMatchObject({ title: 'Bank (EU)', version: 2 });
    const get = await runCli(home.dir, ['item', 'get', 'Accounting', 'Bank (EU)', '--field', 'password'], { input: `${PASSPHRASE}\n` });
    expect(get.stdout.trim()).toBe(`new-${SECRET}`);
    const rm = await runCli(home.dir, ['item', 'rm', 'Accounting', 'Bank (EU)'], { input: `${PASSPHRASE}\n` });
    expect(rm.code).toBe(0);
    const gone = await runCli(home.dir, ['item', 'get', 'Accounting', 'Bank (EU)'], { input: `${PASSPHRASE}\n` });
    expect(gone.code).toBe(6);
  });

  it('computes a TOTP code for a login', async () => {
    const add = await runCli(home.dir, ['item', 'add', 'Accounting', 'Git', '--totp'], { input: `${PASSPHRASE}\nhunter22hunter22\nJBSWY3DPEHPK3PXP\n` });
    expect(add.code, add.stderr).toBe(0);
    const totp = await runCli(home.dir, ['item', 'totp', 'Accounting', 'Git', '--json'], { input: `${PASSPHRASE}\n` });
    expect(totp.code, totp.stderr).toBe(0);
    expect(JSON.parse(totp.stdout).code).toMatch(/^\d{6}$/);
  });

  it('refuses grants without the passphrase, with exit code 5, and audits each attempt', async () => {
    const wrong = await runCli(home.dir, ['vault', 'create', 'Sneaky'], { input: 'not the passphrase\n' });
    expect(wrong.code).toBe(5);
    expect(wrong.stderr).toContain('[passphrase_invalid]');
    const refusals = await runCli(home.dir, ['audit', 'list', '--action', 'admin.grant_refused', '--json']);
    expect(JSON.parse(refusals.stdout).rows.length).toBeGreaterThanOrEqual(1);
  });

  it('locks and unlocks; a locked engine answers vault_locked with exit code 4', async () => {
    expect((await runCli(home.dir, ['lock'])).code).toBe(0);
    const locked = await runCli(home.dir, ['item', 'list']);
    expect(locked.code).toBe(4);
    expect(locked.stderr).toContain('[vault_locked]');
    expect((await runCli(home.dir, ['unlock'], { input: 'wrong passphrase!!\n' })).code).toBe(5);
    expect((await runCli(home.dir, ['unlock'], { input: `${PASSPHRASE}\n` })).code).toBe(0);
    expect((await runCli(home.dir, ['item', 'list'])).code).toBe(0);
  });

  it('verifies the audit chain', async () => {
    const r = await runCli(home.dir, ['audit', 'verify', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: true });
  });

  it('never writes a secret to the daemon log', () => {
    expect(daemon.output()).not.toContain(SECRET);
    expect(daemon.output()).not.toContain(PASSPHRASE);
  });

  it('has --help on every command', { timeout: 180_000 }, async () => {
    // Several at a time: each is a process start, and the command list keeps growing.
    const pending = [...(await loadAllCommands())];
    const check = async () => {
      for (let c = pending.shift(); c; c = pending.shift()) {
        const r = await runCli(home.dir, [...c.words, '--help']);
        expect(r.code, c.words.join(' ')).toBe(0);
        expect(r.stdout).toContain(`Usage: valetkey ${c.words.join(' ')}`);
      }
    };
    await Promise.all(Array.from({ length: 6 }, check));
  });

  it('keeps admin.json private (0600)', () => {
    const info = JSON.parse(readFileSync(`${home.dir}/admin.json`, 'utf8')) as { socketPath: string };
    expect(info.socketPath).toMatch(/admin\.sock$/);
    expect(statSync(`${home.dir}/admin.json`).mode & 0o777).toBe(0o600);
    expect(statSync(info.socketPath).mode & 0o777).toBe(0o600);
  });
});
