/** The headless daemon as a real process: one per data directory, clean shutdown, and no keychain → a clear stop. */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keychainAvailability, tempHome } from '../../helpers/temp-home.js';
import { PASSPHRASE, runCli, startDaemonProcess } from '../../helpers/cli.js';

const keychain = keychainAvailability();
const NO_DBUS = { DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/valetkey-test-bus' };

describe.skipIf(keychain.skip)(`valetkey daemon ${keychain.reason}`, () => {
  const home = tempHome();
  beforeAll(async () => {
    expect((await runCli(home.dir, ['init'], { input: `${PASSPHRASE}\n` })).code).toBe(0);
  });
  afterAll(() => home.cleanup());

  it('runs one engine per data directory and stops cleanly on SIGTERM and SIGINT', async () => {
    const first = await startDaemonProcess(home.dir);
    const second = await runCli(home.dir, ['daemon']);
    expect(second.code).toBe(3);
    expect(second.stderr).toContain('[already_running]');
    expect(await first.stop('SIGTERM')).toBe(0);
    expect(existsSync(join(home.dir, 'engine.lock'))).toBe(false);
    expect(existsSync(join(home.dir, 'admin.json'))).toBe(false);

    const again = await startDaemonProcess(home.dir);
    expect(await again.stop('SIGINT')).toBe(0);
  });

  it('takes over a stale lock left by a killed engine', async () => {
    const killed = await startDaemonProcess(home.dir);
    await killed.stop('SIGKILL');
    expect(existsSync(join(home.dir, 'engine.lock'))).toBe(true);
    const next = await startDaemonProcess(home.dir);
    expect(await next.stop()).toBe(0);
  });

  it('without a D-Bus session exits non-zero naming both fixes, and writes nothing new', async () => {
    const before = readdirSync(home.dir).sort();
    const r = await runCli(home.dir, ['daemon'], { env: NO_DBUS });
    expect(r.code).toBe(8);
    expect(r.stderr).toContain('[keychain_unavailable]');
    expect(r.stderr).toMatch(/Secret Service/);
    expect(r.stderr).toMatch(/--key-file/);
    expect(readdirSync(home.dir).sort()).toEqual(before);
  });
});

/** A test in a data directory of its own, removed afterwards. */
async function inFreshHome(run: (dir: string) => Promise<void>): Promise<void> {
  const home = tempHome();
  try {
    await run(home.dir);
  } finally {
    home.cleanup();
  }
}

describe('valetkey init without a keychain', () => {
  it('stops with keychain_unavailable and leaves no database or key material behind', () =>
    inFreshHome(async (dir) => {
      const r = await runCli(dir, ['init'], { input: `${PASSPHRASE}\n`, env: NO_DBUS });
      expect(r.code).toBe(8);
      expect(r.stderr).toContain('Secret Service');
      expect(r.stderr).toContain('--key-file');
      expect(readdirSync(dir)).toEqual([]);
    }));

  it('says there is no keychain before asking anything, and takes the key file on an explicit yes in the same run', () =>
    inFreshHome(async (dir) => {
      const r = await runCli(dir, ['init', '--json'], { input: `y\n${PASSPHRASE}\n`, env: NO_DBUS });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toContain('No OS keychain can be reached');
      expect(JSON.parse(r.stdout)).toMatchObject({ initialized: true, keyStorage: 'key_file' });
    }));

  it('refuses a too-short passphrase before asking for it again, and writes nothing', () =>
    inFreshHome(async (dir) => {
      const r = await runCli(dir, ['init', '--key-file'], { input: 'short\n', env: NO_DBUS });
      expect(r.code).not.toBe(0);
      expect(r.stderr).toContain('[passphrase_too_short]');
      expect(readdirSync(dir)).toEqual([]);
    }));

  it('daemon --init-if-needed sets up and starts unlocked with the passphrase just chosen (no second typing)', async () => {
    const home = tempHome();
    try {
      const daemon = await startDaemonProcess(home.dir, NO_DBUS, { args: ['--init-if-needed'], input: `y\n${PASSPHRASE}\n` });
      try {
        expect(daemon.output()).toContain('engine ready (unlocked');
        const status = await runCli(home.dir, ['status', '--json'], { env: NO_DBUS });
        expect(JSON.parse(status.stdout)).toMatchObject({ locked: false, keyStorage: 'key_file' });
      } finally {
        expect(await daemon.stop()).toBe(0);
      }
      // Set up once: the next start does not ask again, and a key-file engine starts locked as before.
      const again = await startDaemonProcess(home.dir, NO_DBUS, { args: ['--init-if-needed'], input: '' });
      try {
        expect(again.output()).toContain('engine ready (locked');
      } finally {
        expect(await again.stop()).toBe(0);
      }
    } finally {
      home.cleanup();
    }
  });

  it('works with the passphrase key file chosen explicitly; the daemon starts locked and unlocks with the passphrase', async () => {
    const home = tempHome();
    try {
      const init = await runCli(home.dir, ['init', '--key-file'], { input: `${PASSPHRASE}\n`, env: NO_DBUS });
      expect(init.code, init.stderr).toBe(0);
      const daemon = await startDaemonProcess(home.dir, NO_DBUS);
      try {
        const status = await runCli(home.dir, ['status', '--json'], { env: NO_DBUS });
        expect(JSON.parse(status.stdout)).toMatchObject({ locked: true, keyStorage: 'key_file' });
        expect((await runCli(home.dir, ['unlock'], { input: 'wrong passphrase 123\n', env: NO_DBUS })).code).toBe(5);
        expect((await runCli(home.dir, ['unlock'], { input: `${PASSPHRASE}\n`, env: NO_DBUS })).code).toBe(0);
        const created = await runCli(home.dir, ['vault', 'create', 'Servers'], { input: `${PASSPHRASE}\n`, env: NO_DBUS });
        expect(created.code, created.stderr).toBe(0);
      } finally {
        expect(await daemon.stop()).toBe(0);
      }
    } finally {
      home.cleanup();
    }
  });
});
