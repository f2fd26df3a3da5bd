/**
 * Backups, restores and the plaintext export through the admin API of real engines: a
 * `.valetkey` backup restored into another engine, and a Bitwarden export imported back, give the
 * same vaults and entries (lossless); files are 0600 and never overwritten without `force`.
 */
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EntryInput } from '../../../src/shared/model.js';
import { moderateLimits } from '../../../src/core/keys/passphrase-seal.js';
import { openTestEngine, type TestEngine } from '../../helpers/engine-fixture.js';
import { tempFiles } from '../import/import-fixtures.js';
import { backupHeader, FAST } from './backup-test-helpers.js';

const BACKUP_PASS = 'backup passphrase ✓ 2';
const LONG_NOTES = 'Ünïcødé notes ✓ — '.repeat(2_500);

const ENTRIES: readonly EntryInput[] = [
  {
    title: 'Bänk 🏦',
    kind: 'login',
    fields: {
      username: 'zoë',
      password: 'bank-pä$$-7781',
      urls: ['https://bank.example', 'https://m.bank.example'],
      totp: 'otpauth://totp/Bank?secret=JBSWY3DPEHPK3PXP',
      notes: 'two\nlines',
      custom: [
        { name: 'PIN', value: '9876', hidden: true },
        { name: 'Branch', value: 'Paris', hidden: false },
        { name: 'Empty', value: '', hidden: false },
      ],
    },
  },
  { title: 'Stripe', kind: 'api_key', fields: { apiKey: 'sk_live_backup_5512', custom: [{ name: 'API key', value: 'a field named like the key', hidden: false }] }, allowedHosts: ['api.stripe.com'] },
  { title: 'Recipe', kind: 'note', fields: { notes: LONG_NOTES } },
  { title: 'Duplicate', kind: 'login', fields: { username: 'a', password: 'dup-a' } },
  { title: 'Duplicate', kind: 'login', fields: { username: 'b', password: 'dup-b' } },
  { title: 'Note with login data', kind: 'note', fields: { username: 'odd', notes: 'n' } },
  { title: 'Login without login data', kind: 'login', fields: { custom: [{ name: 'Only', value: 'custom', hidden: true }] } },
];

let source: TestEngine;
let target: TestEngine;
let files: ReturnType<typeof tempFiles>;

async function contents(t: TestEngine, vaultId: string): Promise<unknown[]> {
  const entries = await Promise.all((await t.admin.listEntries({ vaultId })).map((e) => t.admin.getEntry({ grant: t.grant, vaultId, entryId: e.id })));
  return entries
    .map((e) => ({ title: e.title, kind: e.kind, fields: e.fields, allowedHosts: e.allowedHosts }))
    .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
}

beforeAll(async () => {
  // The source writes backups at INTERACTIVE (these tests are about what a backup holds and how it
  // restores); the target keeps the engine's default, MODERATE, for the test that is about that.
  [source, target] = await Promise.all([openTestEngine({ backupKdfLimits: FAST }), openTestEngine()]);
  files = tempFiles();
  const personal = await source.admin.createVault({ grant: source.grant, vault: { name: 'Personal', icon: 'home', colour: '#112233', approval: { mode: 'once_per_token', minutes: 15 } } });
  for (const entry of ENTRIES) await source.admin.createEntry({ grant: source.grant, vaultId: personal.id, entry });
  const work = await source.admin.createVault({ grant: source.grant, vault: { name: 'Work', approval: { mode: 'every_access' } } });
  await source.admin.createEntry({ grant: source.grant, vaultId: work.id, entry: { title: 'VPN', kind: 'login', fields: { username: 'w', password: 'vpn-pass-3310' } } });
}, 120_000);

afterAll(async () => {
  await Promise.all([source.close(), target.close()]);
  files.cleanup();
});

describe('encrypted backup', () => {
  const path = () => `${files.dir}/vaults.valetkey`;

  it('writes a 0600 file holding no value in the clear, and never replaces one without force', async () => {
    const written = await source.admin.createBackup({ grant: source.grant, vaults: ['Personal', 'work'], path: path(), passphrase: BACKUP_PASS });
    expect(written).toMatchObject({ path: path(), vaults: 2, entries: ENTRIES.length + 1 });
    expect(statSync(path()).mode & 0o777).toBe(0o600);
    const bytes = readFileSync(path());
    expect(written.bytes).toBe(bytes.length);
    for (const secret of ['bank-pä$$-7781', 'sk_live_backup_5512', 'Bänk', 'vpn-pass-3310', 'Personal']) expect(bytes.includes(secret)).toBe(false);
    await expect(source.admin.createBackup({ grant: source.grant, vaults: ['Personal'], path: path(), passphrase: BACKUP_PASS })).rejects.toMatchObject({ code: 'conflict' });
    expect(readFileSync(path()).equals(bytes)).toBe(true);
  });

  it('refuses a short passphrase, a relative path and an unknown vault', async () => {
    await expect(source.admin.createBackup({ grant: source.grant, vaults: ['Personal'], path: `${files.dir}/x.valetkey`, passphrase: 'short' })).rejects.toMatchObject({ code: 'passphrase_too_short' });
    await expect(source.admin.createBackup({ grant: source.grant, vaults: ['Personal'], path: 'x.valetkey', passphrase: BACKUP_PASS })).rejects.toMatchObject({ code: 'invalid_request' });
    await expect(source.admin.createBackup({ grant: source.grant, vaults: ['Nope'], path: `${files.dir}/x.valetkey`, passphrase: BACKUP_PASS })).rejects.toMatchObject({ code: 'not_found' });
    expect(existsSync(`${files.dir}/x.valetkey`)).toBe(false);
  });

  it('restores into another engine as new vaults, losslessly, settings included', async () => {
    const result = await target.admin.restoreBackup({ grant: target.grant, path: path(), passphrase: BACKUP_PASS });
    expect(result.vaults.map((v) => [v.name, v.created, v.restored])).toEqual([
      ['Personal', true, ENTRIES.length],
      ['Work', true, 1],
    ]);
    const [sourceVaults, targetVaults] = [await source.admin.listVaults({}), await target.admin.listVaults({})];
    for (const name of ['Personal', 'Work']) {
      const a = sourceVaults.find((v) => v.name === name)!;
      const b = targetVaults.find((v) => v.name === name)!;
      expect({ icon: b.icon, colour: b.colour, approval: b.approval, entryCount: b.entryCount }).toEqual({ icon: a.icon, colour: a.colour, approval: a.approval, entryCount: a.entryCount });
      expect(await contents(target, b.id)).toEqual(await contents(source, a.id));
    }
  });

  it('refuses to restore over names that exist, and restores as one new vault or merged instead', async () => {
    await expect(target.admin.restoreBackup({ grant: target.grant, path: path(), passphrase: BACKUP_PASS })).rejects.toMatchObject({ code: 'conflict' });
    const asNew = await target.admin.restoreBackup({ grant: target.grant, path: path(), passphrase: BACKUP_PASS, asNew: 'Everything' });
    expect(asNew.vaults).toEqual([expect.objectContaining({ name: 'Everything', created: true, restored: ENTRIES.length + 1, duplicatesSkipped: 0 })]);
    const merged = await target.admin.restoreBackup({ grant: target.grant, path: path(), passphrase: BACKUP_PASS, mergeInto: 'Personal' });
    expect(merged.vaults).toEqual([expect.objectContaining({ name: 'Personal', created: false, restored: 1, duplicatesSkipped: ENTRIES.length })]);
    const kept = await target.admin.restoreBackup({ grant: target.grant, path: path(), passphrase: BACKUP_PASS, mergeInto: 'Work', keepDuplicates: true });
    expect(kept.vaults[0]).toMatchObject({ restored: ENTRIES.length + 1, duplicatesSkipped: 0 });
    await expect(target.admin.restoreBackup({ grant: target.grant, path: path(), passphrase: BACKUP_PASS, asNew: 'A', mergeInto: 'Work' })).rejects.toMatchObject({ code: 'invalid_request' });
  });

  it('refuses the wrong passphrase', async () => {
    await expect(target.admin.restoreBackup({ grant: target.grant, path: path(), passphrase: 'not the backup passphrase' })).rejects.toMatchObject({ code: 'invalid_backup' });
  });

  // Two MODERATE derivations (256 MiB each): seconds apiece, many more on a busy machine.
  it('is written at Argon2id MODERATE by an engine left to its defaults, and restores from that header', { timeout: 180_000 }, async () => {
    const file = `${files.dir}/moderate.valetkey`;
    await target.admin.createBackup({ grant: target.grant, vaults: ['Work'], path: file, passphrase: BACKUP_PASS });
    expect(backupHeader(readFileSync(file))['kdf']).toMatchObject({ alg: 'argon2id13', ...moderateLimits() });
    const restored = await source.admin.restoreBackup({ grant: source.grant, path: file, passphrase: BACKUP_PASS, asNew: 'Work from the target' });
    expect(restored.vaults).toEqual([expect.objectContaining({ name: 'Work from the target', created: true })]);
  });

  it('replaces a file with force, still 0600', async () => {
    writeFileSync(`${files.dir}/old.valetkey`, 'old', { mode: 0o644 });
    await source.admin.createBackup({ grant: source.grant, vaults: ['Work'], path: `${files.dir}/old.valetkey`, passphrase: BACKUP_PASS, force: true });
    expect(statSync(`${files.dir}/old.valetkey`).mode & 0o777).toBe(0o600);
    expect(readFileSync(`${files.dir}/old.valetkey`, 'utf8').startsWith('VALETKEY-BACKUP\n')).toBe(true);
  });
});

describe('plaintext Bitwarden export', () => {
  const path = () => `${files.dir}/leaving.json`;

  it('needs the acknowledgement that it writes plaintext', async () => {
    await expect(source.admin.exportBitwarden({ grant: source.grant, vaults: ['Personal'], path: path(), acknowledgePlaintext: false })).rejects.toMatchObject({ code: 'invalid_request' });
    expect(existsSync(path())).toBe(false);
  });

  it('writes Bitwarden’s JSON shape, 0600, one folder per vault', async () => {
    const written = await source.admin.exportBitwarden({ grant: source.grant, vaults: ['Personal', 'Work'], path: path(), acknowledgePlaintext: true });
    expect(written).toEqual({ path: path(), vaults: 2, items: ENTRIES.length + 1 });
    expect(statSync(path()).mode & 0o777).toBe(0o600);
    const data = JSON.parse(readFileSync(path(), 'utf8')) as { encrypted: boolean; folders: { id: string; name: string }[]; items: Record<string, unknown>[] };
    expect(data.encrypted).toBe(false);
    expect(data.folders.map((f) => f.name)).toEqual(['Personal', 'Work']);
    const bank = data.items.find((i) => i['name'] === 'Bänk 🏦')!;
    expect(bank).toMatchObject({ type: 1, login: { username: 'zoë', password: 'bank-pä$$-7781', uris: [{ match: null, uri: 'https://bank.example' }, { match: null, uri: 'https://m.bank.example' }] } });
    expect(data.items.find((i) => i['name'] === 'Recipe')).toMatchObject({ type: 2, secureNote: { type: 0 } });
    const stripe = data.items.find((i) => i['name'] === 'Stripe')!;
    expect(stripe['fields']).toEqual([
      { name: 'API key', value: 'a field named like the key', type: 0, linkedId: null },
      { name: 'API key (2)', value: 'sk_live_backup_5512', type: 1, linkedId: null },
    ]);
    await expect(source.admin.exportBitwarden({ grant: source.grant, vaults: ['Work'], path: path(), acknowledgePlaintext: true })).rejects.toMatchObject({ code: 'conflict' });
  });

  it('imports back into Valetkey losslessly', async () => {
    const result = await target.admin.runImport({ grant: target.grant, path: path(), newVaultName: 'Back from Bitwarden' });
    expect(result).toMatchObject({ imported: ENTRIES.length + 1, skipped: 0, notMapped: 0 });
    const sourceVaults = await source.admin.listVaults({});
    const all = [...(await contents(source, sourceVaults.find((v) => v.name === 'Personal')!.id)), ...(await contents(source, sourceVaults.find((v) => v.name === 'Work')!.id))];
    expect(await contents(target, result.vault.id)).toEqual(all.sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))));
  });

  it('audits backups, restores and exports with counts only', async () => {
    const rows = [...(await source.admin.queryAudit({ limit: 200 })).rows, ...(await target.admin.queryAudit({ limit: 200 })).rows];
    const actions = rows.map((r) => r.action);
    expect(actions).toEqual(expect.arrayContaining(['vault.backup', 'vault.restore', 'vault.export_plaintext', 'vault.import']));
    expect(rows.find((r) => r.action === 'vault.export_plaintext')?.detail).toMatchObject({ vaults: 2, items: ENTRIES.length + 1, format: 'bitwarden_json' });
    const text = JSON.stringify(rows);
    for (const secret of ['bank-pä$$-7781', 'sk_live_backup_5512', BACKUP_PASS, 'vpn-pass-3310', 'Bänk']) expect(text).not.toContain(secret);
  });
});
