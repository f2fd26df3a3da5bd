/**
 * The import, backup and restore forms turned into the engine's requests. Files are named by
 * absolute path on the engine's machine (the engine reads and writes them itself; the page never
 * holds a vault's contents).
 */
import { IMPORT_FORMATS, type ImportFormat, type ImportRequest, type RestoreRequest } from '../../shared/model.js';

export const IMPORT_FORMAT_LABELS: Readonly<Record<ImportFormat, string>> = {
  bitwarden_json: 'Bitwarden (JSON, unencrypted)',
  '1password_1pux': '1Password (.1pux)',
  '1password_csv': '1Password (CSV)',
  keepass_xml: 'KeePass (XML)',
  kdbx: 'KeePass database (.kdbx)',
  proton_pass: 'Proton Pass (JSON or ZIP)',
  chrome_csv: 'Chrome / Edge (CSV)',
  firefox_csv: 'Firefox (CSV)',
};

export interface ImportForm {
  readonly path: string;
  /** '' = let the engine detect it from the content. */
  readonly format: '' | ImportFormat;
  /** Existing vault id, or '' to create `newVaultName`. */
  readonly vaultId: string;
  readonly newVaultName: string;
  readonly kdbxPassword: string;
  readonly keepDuplicates: boolean;
}

export const EMPTY_IMPORT_FORM: ImportForm = { path: '', format: '', vaultId: '', newVaultName: 'Imported', kdbxPassword: '', keepDuplicates: false };

export function isImportFormat(value: string): value is ImportFormat {
  return (IMPORT_FORMATS as readonly string[]).includes(value);
}

export function toImportRequest(form: ImportForm): ImportRequest {
  const kdbx = form.format === 'kdbx' || form.path.trim().toLowerCase().endsWith('.kdbx');
  return {
    path: form.path.trim(),
    ...(form.format === '' ? {} : { format: form.format }),
    ...(form.vaultId === '' ? { newVaultName: form.newVaultName.trim() } : { vault: form.vaultId }),
    ...(kdbx && form.kdbxPassword !== '' ? { kdbxPassword: form.kdbxPassword } : {}),
    ...(form.keepDuplicates ? { keepDuplicates: true } : {}),
  };
}

export type RestoreMode = 'as-is' | 'as-new' | 'merge';

export interface RestoreForm {
  readonly path: string;
  readonly passphrase: string;
  readonly mode: RestoreMode;
  readonly newName: string;
  readonly mergeVaultId: string;
  readonly keepDuplicates: boolean;
}

export function toRestoreRequest(form: RestoreForm): RestoreRequest {
  return {
    path: form.path.trim(),
    passphrase: form.passphrase,
    ...(form.mode === 'as-new' ? { asNew: form.newName.trim() } : {}),
    ...(form.mode === 'merge' ? { mergeInto: form.mergeVaultId } : {}),
    ...(form.keepDuplicates ? { keepDuplicates: true } : {}),
  };
}

/** Refuses what is surely wrong before a round trip: the engine wants absolute paths. */
export function pathProblem(path: string): string | undefined {
  const p = path.trim();
  if (p === '') return 'Give the file’s full path.';
  if (!(p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p) || p.startsWith('\\\\'))) return 'Give the full path, starting at / (or C:\\ on Windows).';
  return undefined;
}
