/**
 * The drag-and-drop import's choices turned into the engine's request. The file is named only by
 * its upload id; the target is an existing vault or a new one named after the file by default.
 */
import { MAX_VAULT_NAME_CHARS } from '../../shared/field-checks.js';
import type { ImportFormat, ImportRequest } from '../../shared/model.js';

export interface UploadImportForm {
  /** '' = let the engine detect it from the content. */
  readonly format: '' | ImportFormat;
  /** Existing vault id, or '' to create `newVaultName`. */
  readonly vaultId: string;
  readonly newVaultName: string;
  readonly kdbxPassword: string;
  readonly keepDuplicates: boolean;
}


/** "bitwarden_export_2024.json" → "bitwarden_export_2024"; "Imported" when nothing is left. */
export function vaultNameFromFile(fileName: string): string {
  const dot = fileName.lastIndexOf('.');
  const stem = (dot > 0 ? fileName.slice(0, dot) : fileName).trim().slice(0, MAX_VAULT_NAME_CHARS).trim();
  return stem === '' ? 'Imported' : stem;
}

export function initialUploadForm(fileName: string): UploadImportForm {
  return { format: '', vaultId: '', newVaultName: vaultNameFromFile(fileName), kdbxPassword: '', keepDuplicates: false };
}

export function needsKdbxPassword(fileName: string, format: '' | ImportFormat): boolean {
  return format === 'kdbx' || (format === '' && fileName.trim().toLowerCase().endsWith('.kdbx'));
}

export function uploadImportRequest(uploadId: string, fileName: string, form: UploadImportForm): ImportRequest {
  return {
    upload: uploadId,
    ...(form.format === '' ? {} : { format: form.format }),
    ...(form.vaultId === '' ? { newVaultName: form.newVaultName.trim() } : { vault: form.vaultId }),
    ...(needsKdbxPassword(fileName, form.format) && form.kdbxPassword !== '' ? { kdbxPassword: form.kdbxPassword } : {}),
    ...(form.keepDuplicates ? { keepDuplicates: true } : {}),
  };
}

/** What keeps the preview button off, said plainly; undefined when the form can go. */
export function uploadFormProblem(fileName: string, form: UploadImportForm): string | undefined {
  if (form.vaultId === '' && form.newVaultName.trim() === '') return 'Name the new vault.';
  if (needsKdbxPassword(fileName, form.format) && form.kdbxPassword === '') return 'Give the KeePass database’s password.';
  return undefined;
}
