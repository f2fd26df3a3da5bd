/**
 * Imports through the admin API of a real engine (real SQLite file, real crypto): the dry run
 * writes nothing, the import writes what the preview promised in one transaction, duplicates of
 * existing entries are found, 10,000 items go in at once, and the audit log holds counts only.
 */
import { describe, expect, it } from 'vitest';
import type { ImportFormat } from '../../../src/shared/model.js';
import { fixture, kdbx4, KDBX_PASSWORD, onePux, protonZip, engineWithFiles } from './import-fixtures.js';

const fx = engineWithFiles();

async function snapshot(): Promise<unknown> {
  const vaults = await fx.t.admin.listVaults({});
  const entries = await fx.t.admin.listEntries({});
  return { vaults: vaults.map((v) => [v.id, v.name, v.entryCount]), entries: entries.map((e) => [e.id, e.version]) };
}

function bitwardenItems(count: number): string {
  const items = Array.from({ length: count }, (_, i) => ({
    type: 1,
    name: `Generated ${i} ✓`,
    notes: i % 100 === 0 ? `note ${i}\n`.repeat(50) : null,
    login: { username: `user${i}@example.com`, password: `gen-pass-${i}`, uris: [{ uri: `https://site${i % 500}.example` }], totp: null },
    fields: i % 7 === 0 ? [{ name: 'Extra', value: `x${i}`, type: 1 }] : [],
  }));
  return JSON.stringify({ encrypted: false, folders: [], items });
}

describe('previewImport', () => {
  it('says what would happen and writes nothing', async () => {
    const before = await snapshot();
    const path = fx.files.write('bitwarden.json', fixture('bitwarden.json'));
    const preview = await fx.t.admin.previewImport({ grant: fx.t.grant, path, newVaultName: 'From Bitwarden' });
    expect(preview).toMatchObject({
      file: 'bitwarden.json',
      format: 'bitwarden_json',
      target: { vaultId: null, vaultName: 'From Bitwarden', isNew: true },
      itemsInFile: 12,
      toImport: 10,
      byKind: { login: 5, api_key: 1, note: 4 },
      duplicateCount: 0,
      skippedCount: 2,
      notMappedCount: 3,
    });
    expect(preview.skipped.map((s) => [s.where, s.reason])).toEqual([
      ['item 7', 'it is in Bitwarden’s trash'],
      ['item 8', 'the item is empty'],
    ]);
    expect(preview.general).toContain('Password history is not imported.');
    expect(await snapshot()).toEqual(before);
  });

  it('needs exactly one target, a free new name, an absolute path and an existing file', async () => {
    const path = fx.files.write('chrome.csv', fixture('chrome.csv'));
    await expect(fx.t.admin.previewImport({ grant: fx.t.grant, path })).rejects.toMatchObject({ code: 'invalid_request' });
    await expect(fx.t.admin.previewImport({ grant: fx.t.grant, path, vault: 'x', newVaultName: 'y' })).rejects.toMatchObject({ code: 'invalid_request' });
    await expect(fx.t.admin.previewImport({ grant: fx.t.grant, path: 'chrome.csv', newVaultName: 'Rel' })).rejects.toMatchObject({ code: 'invalid_request' });
    await expect(fx.t.admin.previewImport({ grant: fx.t.grant, path: `${fx.files.dir}/nope.csv`, newVaultName: 'Gone' })).rejects.toMatchObject({ code: 'not_found' });
    await expect(fx.t.admin.previewImport({ grant: fx.t.grant, path, vault: 'No such vault' })).rejects.toMatchObject({ code: 'not_found' });
    await fx.t.admin.createVault({ grant: fx.t.grant, vault: { name: 'Taken' } });
    await expect(fx.t.admin.previewImport({ grant: fx.t.grant, path, newVaultName: 'taken' })).rejects.toMatchObject({ code: 'conflict' });
    await expect(fx.t.admin.previewImport({ grant: fx.t.grant, path, newVaultName: 'Ok', format: 'csv' as ImportFormat })).rejects.toMatchObject({ code: 'invalid_request' });
  });
});

describe('runImport', () => {
  const cases: readonly [string, () => Promise<Uint8Array> | Uint8Array, number, Record<string, number>, string?][] = [
    ['bitwarden.json', () => fixture('bitwarden.json'), 10, { login: 5, api_key: 1, note: 4 }],
    ['export.1pux', () => onePux(), 11, { login: 7, api_key: 2, note: 2 }],
    ['1password.csv', () => fixture('1password.csv'), 5, { login: 5, api_key: 0, note: 0 }],
    ['chrome.csv', () => fixture('chrome.csv'), 5, { login: 5, api_key: 0, note: 0 }],
    ['firefox.csv', () => fixture('firefox.csv'), 4, { login: 4, api_key: 0, note: 0 }],
    ['proton.zip', () => protonZip(), 7, { login: 3, api_key: 1, note: 3 }],
    ['keepass.xml', () => fixture('keepass.xml'), 5, { login: 4, api_key: 0, note: 1 }],
    ['db.kdbx', () => kdbx4(), 5, { login: 4, api_key: 0, note: 1 }, KDBX_PASSWORD],
  ];

  it.each(cases)('imports %s into a new vault with the right counts and values', async (name, bytes, imported, byKind, kdbxPassword) => {
    const path = fx.files.write(name, await bytes());
    const vaultName = `Import ${name}`;
    const preview = await fx.t.admin.previewImport({ grant: fx.t.grant, path, newVaultName: vaultName, ...(kdbxPassword ? { kdbxPassword } : {}) });
    const result = await fx.t.admin.runImport({ grant: fx.t.grant, path, newVaultName: vaultName, ...(kdbxPassword ? { kdbxPassword } : {}) });
    expect(result).toMatchObject({ imported, byKind, format: preview.format });
    expect(result.imported).toBe(preview.toImport);
    expect(result.vault).toMatchObject({ name: vaultName, entryCount: imported });
    const entries = await fx.t.admin.listEntries({ vaultId: result.vault.id });
    expect(entries).toHaveLength(imported);
  });

  it('stores every value so it reads back exactly', async () => {
    const path = fx.files.write('bw-values.json', fixture('bitwarden.json'));
    const result = await fx.t.admin.runImport({ grant: fx.t.grant, path, newVaultName: 'Values' });
    const [bank] = (await fx.t.admin.listEntries({ vaultId: result.vault.id, query: 'Bänk' }));
    const entry = await fx.t.admin.getEntry({ grant: fx.t.grant, vaultId: result.vault.id, entryId: bank!.id });
    expect(entry.fields.password).toBe('pä$$wörd-ü-BW1');
    expect(entry.fields.custom).toContainEqual({ name: 'PIN', value: '0000-pin', hidden: true });
    const code = await fx.t.admin.totpCode({ grant: fx.t.grant, vaultId: result.vault.id, entryId: bank!.id });
    expect(code.code).toMatch(/^\d{6}$/);
  });

  it('finds duplicates of entries already in the vault and skips them unless told to keep them', async () => {
    const vault = await fx.t.admin.createVault({ grant: fx.t.grant, vault: { name: 'Web' } });
    await fx.t.admin.createEntry({ grant: fx.t.grant, vaultId: vault.id, entry: { title: 'GITHUB.com', kind: 'login', fields: { username: 'Alice', password: 'other', urls: ['https://github.com'] } } });
    const path = fx.files.write('chrome-dup.csv', fixture('chrome.csv'));
    const first = await fx.t.admin.previewImport({ grant: fx.t.grant, path, vault: 'Web' });
    expect(first.duplicateCount).toBe(1);
    expect(first.duplicates).toEqual([{ where: 'line 5', title: 'github.com', reason: 'same title, username and first URL as an entry already in the vault' }]);
    expect(first.toImport).toBe(4);
    expect(await fx.t.admin.runImport({ grant: fx.t.grant, path, vault: 'Web' })).toMatchObject({ imported: 4, duplicatesSkipped: 1 });
    const again = await fx.t.admin.runImport({ grant: fx.t.grant, path, vault: vault.id });
    expect(again).toMatchObject({ imported: 0, duplicatesSkipped: 5 });
    const kept = await fx.t.admin.runImport({ grant: fx.t.grant, path, vault: vault.id, keepDuplicates: true });
    expect(kept).toMatchObject({ imported: 5, duplicatesSkipped: 0 });
    expect((await fx.t.admin.listVaults({})).find((v) => v.id === vault.id)?.entryCount).toBe(10);
  });

  it('imports 10,000 generated items in one go', async () => {
    const path = fx.files.write('ten-thousand.json', bitwardenItems(10_000));
    const preview = await fx.t.admin.previewImport({ grant: fx.t.grant, path, newVaultName: 'Ten thousand' });
    expect(preview).toMatchObject({ itemsInFile: 10_000, toImport: 10_000, skippedCount: 0 });
    expect(preview.duplicates).toHaveLength(0);
    const result = await fx.t.admin.runImport({ grant: fx.t.grant, path, newVaultName: 'Ten thousand' });
    expect(result.vault.entryCount).toBe(10_000);
    const again = await fx.t.admin.previewImport({ grant: fx.t.grant, path, vault: 'Ten thousand' });
    expect(again.duplicateCount).toBe(10_000);
    expect(again.duplicates).toHaveLength(200);
  }, 120_000);

  it('leaves nothing behind when the database fails half way through', async () => {
    const before = await snapshot();
    const path = fx.files.write('half.json', bitwardenItems(2_000));
    // A real SQLite failure in the middle of the write: the 1,000th insert of this import aborts.
    const start = (await fx.t.admin.listEntries({})).length;
    fx.t.engine.db.exec(`CREATE TEMP TRIGGER fail_half AFTER INSERT ON entries WHEN (SELECT count(*) FROM entries) >= ${start + 1000} BEGIN SELECT RAISE(ABORT, 'disk full'); END`);
    try {
      await expect(fx.t.admin.runImport({ grant: fx.t.grant, path, newVaultName: 'Half' })).rejects.toMatchObject({ code: 'internal_error' });
    } finally {
      fx.t.engine.db.exec('DROP TRIGGER fail_half');
    }
    expect(await snapshot()).toEqual(before);
    expect((await fx.t.admin.listVaults({})).some((v) => v.name === 'Half')).toBe(false);
    // The same import works once the disk is fine again, under the same name.
    expect((await fx.t.admin.runImport({ grant: fx.t.grant, path, newVaultName: 'Half' })).imported).toBe(2_000);
  });

  it('audits previews and imports with counts, never values', async () => {
    const page = await fx.t.admin.queryAudit({ action: 'vault.import', limit: 500 });
    const bw = page.rows.find((r) => r.detail?.['format'] === 'bitwarden_json' && r.detail['imported'] === 10);
    expect(bw).toMatchObject({ actor: 'person', outcome: 'ok', detail: { imported: 10, logins: 5, apiKeyEntries: 1, notes: 4, skipped: 2, notMapped: 3, newVault: true, via: 'in-process' } });
    expect((await fx.t.admin.queryAudit({ action: 'vault.import_preview', limit: 5 })).rows.length).toBeGreaterThan(0);
    const all = JSON.stringify((await fx.t.admin.queryAudit({ limit: 500 })).rows);
    for (const secret of ['pä$$wörd-ü-BW1', '0000-pin', 'gen-pass-1', 'kp-pä$$-1', KDBX_PASSWORD, 'JBSWY3DPEHPK3PXP', 'Bänk']) expect(all).not.toContain(secret);
    expect((await fx.t.admin.verifyAudit({})).ok).toBe(true);
  });
});
