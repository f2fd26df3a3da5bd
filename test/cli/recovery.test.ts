/**
 * The recovery kit, end to end: export it, lose the keychain items (a new machine, a wiped
 * keychain), restore from the kit, and read the secrets again.
 */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { KeychainKeyStore } from '../../src/core/keys/keychain-key-store.js';
import { keychainAvailability, tempHome } from '../helpers/temp-home.js';
import { PASSPHRASE, runCli, startDaemonProcess } from '../helpers/cli.js';

const keychain = keychainAvailability();
const KIT_PASSPHRASE = 'recovery kit passphrase 42';

describe.skipIf(keychain.skip)(`recovery kit ${keychain.reason}`, () => {
  const home = tempHome();
  afterAll(() => home.cleanup());

  it('restores lost keychain keys from the kit', { timeout: 240_000 }, async () => {
    expect((await runCli(home.dir, ['init'], { input: `${PASSPHRASE}\n` })).code).toBe(0);
    let daemon = await startDaemonProcess(home.dir);
    const kit = join(home.dir, 'kit.txt');
    try {
      expect((await runCli(home.dir, ['vault', 'create', 'Home'], { input: `${PASSPHRASE}\n` })).code).toBe(0);
      expect((await runCli(home.dir, ['item', 'add', 'Home', 'Wifi'], { input: `${PASSPHRASE}\nwifi-secret-123\n` })).code).toBe(0);
      const exported = await runCli(home.dir, ['recovery', 'export', '--out', kit], { input: `${PASSPHRASE}\n${KIT_PASSPHRASE}\n` });
      expect(exported.code, exported.stderr).toBe(0);
      expect(statSync(kit).mode & 0o777).toBe(0o600);
      expect(readFileSync(kit, 'utf8')).not.toContain('wifi-secret-123');
      expect((await runCli(home.dir, ['recovery', 'export', '--out', kit], { input: `${PASSPHRASE}\n${KIT_PASSPHRASE}\n` })).code).toBe(6);
    } finally {
      expect(await daemon.stop()).toBe(0);
    }

    // Lose the keys.
    const db = new BetterSqlite3(join(home.dir, 'valetkey.db'), { readonly: true });
    const installId = (db.prepare("SELECT value FROM settings WHERE key = 'install_id'").get() as { value: string }).value;
    db.close();
    await new KeychainKeyStore({ account: installId }).destroy();
    const lost = await runCli(home.dir, ['daemon']);
    expect(lost.code).toBe(8);
    expect(lost.stderr).toContain('[key_missing]');

    expect((await runCli(home.dir, ['recovery', 'restore', kit], { input: `wrong kit passphrase\n${PASSPHRASE}\n` })).code).toBe(7);
    expect((await runCli(home.dir, ['recovery', 'restore', kit], { input: `${KIT_PASSPHRASE}\nwrong admin passphrase\n` })).code).toBe(5);
    const restored = await runCli(home.dir, ['recovery', 'restore', kit], { input: `${KIT_PASSPHRASE}\n${PASSPHRASE}\n` });
    expect(restored.code, restored.stderr).toBe(0);

    daemon = await startDaemonProcess(home.dir);
    try {
      const get = await runCli(home.dir, ['item', 'get', 'Home', 'Wifi', '--field', 'password'], { input: `${PASSPHRASE}\n` });
      expect(get.stdout.trim()).toBe('wifi-secret-123');
      expect((await runCli(home.dir, ['audit', 'verify'])).code).toBe(0);
    } finally {
      expect(await daemon.stop()).toBe(0);
      await new KeychainKeyStore({ account: installId }).destroy();
    }
  });
});
