/**
 * `valetkey import`, `backup create|restore` and `export bitwarden` end to end: a real daemon
 * (keys in the real Secret Service), the CLI in its own process, passphrases on standard input.
 */
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keychainAvailability, tempHome } from '../helpers/temp-home.js';
import { PASSPHRASE, runCli, startDaemonProcess, type DaemonProcess } from '../helpers/cli.js';
import { fixture, kdbx4, KDBX_PASSWORD, tempFiles } from '../core/import/import-fixtures.js';

const keychain = keychainAvailability();
const BACKUP_PASS = 'cli backup passphrase';

describe.skipIf(keychain.skip)(`valetkey import, backup and export ${keychain.reason}`, () => {
  const home = tempHome();
  const files = tempFiles();
  let daemon: DaemonProcess;

  const vaults = async () => JSON.parse((await runCli(home.dir, ['vault', 'list', '--json'])).stdout) as { name: string; entryCount: number }[];

  beforeAll(async () => {
    expect((await runCli(home.dir, ['init'], { input: `${PASSPHRASE}\n` })).code).toBe(0);
    daemon = await startDaemonProcess(home.dir);
  });

  afterAll(async () => {
    expect(await daemon.stop()).toBe(0);
    home.cleanup();
    files.cleanup();
  });

  it('previews without writing, and writes nothing when the person says no', async () => {
    const path = files.write('bitwarden.json', fixture('bitwarden.json'));
    const dry = await runCli(home.dir, ['import', path, '--new-vault', 'Bitwarden', '--dry-run'], { input: `${PASSPHRASE}\n` });
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toContain('Items:  12 in the file; 10 to import (5 logins, 1 API keys, 4 notes)');
    expect(dry.stdout).toContain('item 7     Old forum — it is in Bitwarden’s trash');
    expect(dry.stdout).toContain('Dry run: nothing was written.');
    expect(dry.stdout).not.toContain('pä$$wörd');
    const no = await runCli(home.dir, ['import', path, '--new-vault', 'Bitwarden'], { input: `${PASSPHRASE}\nn\n` });
    expect(no.code).toBe(0);
    expect(no.stdout).toContain('Cancelled: nothing was written.');
    expect(await vaults()).toEqual([]);
  });

  it('imports after a yes, and a KeePass database with its password', async () => {
    const path = files.write('bitwarden.json', fixture('bitwarden.json'));
    const yes = await runCli(home.dir, ['import', path, '--new-vault', 'Bitwarden', '--json'], { input: `${PASSPHRASE}\ny\n` });
    expect(yes.code, yes.stderr).toBe(0);
    expect(JSON.parse(yes.stdout).result).toMatchObject({ imported: 10, vault: { name: 'Bitwarden', entryCount: 10 } });
    const kdbx = files.write('db.kdbx', await kdbx4());
    const kp = await runCli(home.dir, ['import', kdbx, '--new-vault', 'KeePass', '--yes'], { input: `${PASSPHRASE}\n${KDBX_PASSWORD}\n` });
    expect(kp.code, kp.stderr).toBe(0);
    expect(kp.stdout).toContain('Imported 5 entries into KeePass');
    const again = await runCli(home.dir, ['import', path, '--vault', 'Bitwarden', '--yes'], { input: `${PASSPHRASE}\n` });
    expect(again.stdout).toContain('Duplicates of entries already in the vault: 10 (skipped; --keep-duplicates imports them)');
    expect(again.stdout).toContain('Nothing to import.');
  });

  it('refuses a truncated file, naming it and the line, with the usage exit code', async () => {
    const path = files.write('cut.json', fixture('bitwarden.json').slice(0, 3000));
    const r = await runCli(home.dir, ['import', path, '--vault', 'Bitwarden', '--yes'], { input: `${PASSPHRASE}\n` });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^valetkey: cut\.json, line \d+: the JSON ends early \(is the file truncated\?\)\. \[invalid_request\]$/m);
    expect((await vaults()).find((v) => v.name === 'Bitwarden')?.entryCount).toBe(10);
  });

  it('backs up and restores, refusing a truncated backup', async () => {
    const out = join(files.dir, 'vaults.valetkey');
    const mismatch = await runCli(home.dir, ['backup', 'create', '--vault', 'Bitwarden', '--out', out], { input: `${PASSPHRASE}\n${BACKUP_PASS}\nsomething else\n` });
    expect(mismatch.code).toBe(2);
    const created = await runCli(home.dir, ['backup', 'create', '--vault', 'Bitwarden', '--vault', 'KeePass', '--out', out], { input: `${PASSPHRASE}\n${BACKUP_PASS}\n${BACKUP_PASS}\n` });
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout).toContain('Backed up 2 vault(s), 15 entries');
    expect(statSync(out).mode & 0o777).toBe(0o600);
    const restored = await runCli(home.dir, ['backup', 'restore', out, '--as-new', 'Restored'], { input: `${PASSPHRASE}\n${BACKUP_PASS}\n` });
    expect(restored.code, restored.stderr).toBe(0);
    expect(restored.stdout).toContain('Created Restored: 15 entries.');
    const cut = files.write('cut.valetkey', readFileSync(out).subarray(0, 500));
    const refused = await runCli(home.dir, ['backup', 'restore', cut, '--as-new', 'Never'], { input: `${PASSPHRASE}\n${BACKUP_PASS}\n` });
    expect(refused.code).toBe(7);
    expect(refused.stderr).toContain('[invalid_backup]');
    expect((await vaults()).map((v) => v.name)).not.toContain('Never');
  });

  it('exports plaintext only with the acknowledgement, 0600, never over a file without --force', async () => {
    const out = join(files.dir, 'leaving.json');
    const without = await runCli(home.dir, ['export', 'bitwarden', '--vault', 'Bitwarden', '--out', out], { input: `${PASSPHRASE}\n` });
    expect(without.code).toBe(2);
    expect(without.stderr).toContain('UNENCRYPTED');
    const written = await runCli(home.dir, ['export', 'bitwarden', '--vault', 'Bitwarden', '--out', out, '--i-understand-this-writes-plaintext'], { input: `${PASSPHRASE}\n` });
    expect(written.code, written.stderr).toBe(0);
    expect(statSync(out).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(out, 'utf8')).items).toHaveLength(10);
    writeFileSync(out, 'keep me');
    const again = await runCli(home.dir, ['export', 'bitwarden', '--vault', 'Bitwarden', '--out', out, '--i-understand-this-writes-plaintext'], { input: `${PASSPHRASE}\n` });
    expect(again.code).toBe(6);
    expect(readFileSync(out, 'utf8')).toBe('keep me');
  });
});
