import { describe, expect, it } from 'vitest';
import { initialUploadForm, needsKdbxPassword, uploadFormProblem, uploadImportRequest, vaultNameFromFile } from '../../src/renderer/lib/upload-import-form.js';

describe('the drag-and-drop import form', () => {
  it('names the new vault after the file', () => {
    expect(vaultNameFromFile('bitwarden_export_2024.json')).toBe('bitwarden_export_2024');
    expect(vaultNameFromFile('.json')).toBe('.json');
    expect(vaultNameFromFile('  .json')).toBe('Imported');
    expect(vaultNameFromFile('x'.repeat(150) + '.csv')).toHaveLength(100);
    expect(vaultNameFromFile('')).toBe('Imported');
  });

  it('asks by upload id only, into a new vault unless one is chosen, with a KeePass password only for KeePass', () => {
    const form = initialUploadForm('export.csv');
    expect(uploadImportRequest('u1', 'export.csv', { ...form, kdbxPassword: 'pw' })).toEqual({ upload: 'u1', newVaultName: 'export' });
    expect(uploadImportRequest('u1', 'db.kdbx', { ...form, vaultId: 'v1', kdbxPassword: 'pw', keepDuplicates: true })).toEqual({
      upload: 'u1',
      vault: 'v1',
      kdbxPassword: 'pw',
      keepDuplicates: true,
    });
    expect(uploadImportRequest('u1', 'db.bin', { ...form, format: 'kdbx', kdbxPassword: 'pw' })).toMatchObject({ format: 'kdbx', kdbxPassword: 'pw' });
    expect(JSON.stringify(uploadImportRequest('u1', 'a.json', form))).not.toContain('path');
  });

  it('says what is missing before a round trip', () => {
    expect(uploadFormProblem('a.json', initialUploadForm('a.json'))).toBeUndefined();
    expect(uploadFormProblem('a.json', { ...initialUploadForm('a.json'), newVaultName: ' ' })).toMatch(/Name the new vault/);
    expect(uploadFormProblem('a.kdbx', initialUploadForm('a.kdbx'))).toMatch(/KeePass/);
    expect(needsKdbxPassword('A.KDBX', '')).toBe(true);
    expect(needsKdbxPassword('a.kdbx', 'keepass_xml')).toBe(false);
  });
});
