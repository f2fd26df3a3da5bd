import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EMPTY_IMPORT_FORM, pathProblem, toImportRequest, toRestoreRequest } from '../../src/renderer/lib/transfer-forms.js';
import { openTestEngine, type TestEngine } from '../helpers/engine-fixture.js';

const BITWARDEN = fileURLToPath(new URL('../fixtures/import/bitwarden.json', import.meta.url));

describe('transfer forms', () => {
  it('imports into a new vault unless one is chosen, and sends a KeePass password only for KeePass', () => {
    expect(toImportRequest({ ...EMPTY_IMPORT_FORM, path: ' /x/a.json ', kdbxPassword: 'pw' })).toEqual({ path: '/x/a.json', newVaultName: 'Imported' });
    expect(toImportRequest({ ...EMPTY_IMPORT_FORM, path: '/x/a.kdbx', vaultId: 'v1', kdbxPassword: 'pw', keepDuplicates: true })).toEqual({
      path: '/x/a.kdbx',
      vault: 'v1',
      kdbxPassword: 'pw',
      keepDuplicates: true,
    });
  });

  it('restores as is, as one new vault, or merged', () => {
    const base = { path: '/b.valetkey', passphrase: 'p', newName: ' New ', mergeVaultId: 'v1', keepDuplicates: false } as const;
    expect(toRestoreRequest({ ...base, mode: 'as-is' })).toEqual({ path: '/b.valetkey', passphrase: 'p' });
    expect(toRestoreRequest({ ...base, mode: 'as-new' })).toEqual({ path: '/b.valetkey', passphrase: 'p', asNew: 'New' });
    expect(toRestoreRequest({ ...base, mode: 'merge' })).toEqual({ path: '/b.valetkey', passphrase: 'p', mergeInto: 'v1' });
  });

  it('wants full paths', () => {
    expect(pathProblem('/home/me/a.json')).toBeUndefined();
    expect(pathProblem('C:\\Users\\me\\a.json')).toBeUndefined();
    expect(pathProblem('a.json')).toMatch(/full path/);
    expect(pathProblem(' ')).toMatch(/full path/);
  });
});

describe('import form against the real engine', () => {
  let t: TestEngine;
  let grant: { readonly session: string };

  beforeAll(async () => {
    t = await openTestEngine();
    grant = { session: (await t.admin.openGrantSession({ passphrase: t.grant.passphrase })).session };
  });
  afterAll(async () => {
    await t.close();
  });

  it('previews, then imports what the preview promised', async () => {
    const request = toImportRequest({ ...EMPTY_IMPORT_FORM, path: BITWARDEN, newVaultName: 'From Bitwarden' });
    const preview = await t.admin.previewImport({ ...request, grant });
    expect(preview.format).toBe('bitwarden_json');
    expect(preview.target).toMatchObject({ vaultName: 'From Bitwarden', isNew: true });
    expect(await t.admin.listVaults({})).toEqual([]);
    const result = await t.admin.runImport({ ...request, grant });
    expect(result.imported).toBe(preview.toImport);
    expect((await t.admin.listEntries({ vaultId: result.vault.id })).length).toBe(preview.toImport);
  });
});
