/** Bring your vaults: import, encrypted backup and restore, plaintext export. */
import type { EntryKind, VaultInfo } from '../model.js';

export const IMPORT_FORMATS = ['bitwarden_json', '1password_1pux', '1password_csv', 'keepass_xml', 'kdbx', 'proton_pass', 'chrome_csv', 'firefox_csv'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

/**
 * What to import and where: exactly one of `path` (absolute, on the engine's machine; the engine
 * reads it itself) and `upload` (a file staged by `stageUpload` or the dashboard's upload route;
 * the browser dashboard accepts only this).
 */
export interface ImportRequest {
  readonly path?: string;
  readonly upload?: string;
  /** Detected from the content when absent. */
  readonly format?: ImportFormat;
  /** An existing vault (id or name), or… */
  readonly vault?: string;
  /** …a vault created by the import, in the same transaction. */
  readonly newVaultName?: string;
  /** The KeePass database's password (KDBX files only). */
  readonly kdbxPassword?: string;
  /** Import items that look like entries already in the vault (default: skip them). */
  readonly keepDuplicates?: boolean;
}

/** One item the preview talks about: where it is in the file ("item 12", "line 40"), its title, why. */
export interface ImportItemNote {
  readonly where: string;
  readonly title: string;
  readonly reason: string;
}

/** The dry run: nothing has been written. Lists are capped; the counts are not. */
export interface ImportPreview {
  readonly file: string;
  readonly format: ImportFormat;
  readonly target: { readonly vaultId: string | null; readonly vaultName: string; readonly isNew: boolean };
  readonly itemsInFile: number;
  /** Entries the import would write now. */
  readonly toImport: number;
  readonly byKind: Readonly<Record<EntryKind, number>>;
  /** Same title, username and first URL as an entry already in the target vault. */
  readonly duplicateCount: number;
  readonly duplicates: readonly ImportItemNote[];
  readonly skippedCount: number;
  readonly skipped: readonly ImportItemNote[];
  /** Parts of imported items that could not be mapped (attachments, passkeys…), with the reason. */
  readonly notMappedCount: number;
  readonly notMapped: readonly ImportItemNote[];
  /** Things true of the whole file ("folders are not kept"). */
  readonly general: readonly string[];
}

export interface ImportResult {
  readonly vault: VaultInfo;
  readonly format: ImportFormat;
  readonly imported: number;
  readonly byKind: Readonly<Record<EntryKind, number>>;
  readonly duplicatesSkipped: number;
  readonly skipped: number;
  readonly notMapped: number;
}

export interface BackupRequest {
  /** Vault ids or names. */
  readonly vaults: readonly string[];
  /** Absolute path of the `.valetkey` file to write (0600; never replaced unless `force`). */
  readonly path: string;
  /** Seals the backup (Argon2id); at least 10 characters. */
  readonly passphrase: string;
  readonly force?: boolean;
}

export interface BackupWritten {
  readonly path: string;
  readonly vaults: number;
  readonly entries: number;
  readonly bytes: number;
}

/** Restore as new vaults under their own names (default), as one new vault, or merged into one. */
export interface RestoreRequest {
  readonly path: string;
  readonly passphrase: string;
  readonly asNew?: string;
  readonly mergeInto?: string;
  readonly keepDuplicates?: boolean;
}

export interface RestoredVault {
  readonly vaultId: string;
  readonly name: string;
  readonly created: boolean;
  readonly restored: number;
  readonly duplicatesSkipped: number;
}

export interface RestoreResult {
  readonly vaults: readonly RestoredVault[];
}

/** Unencrypted Bitwarden JSON, for leaving Valetkey. `acknowledgePlaintext` must be true. */
export interface PlaintextExportRequest {
  readonly vaults: readonly string[];
  readonly path: string;
  readonly acknowledgePlaintext: boolean;
  readonly force?: boolean;
}

export interface PlaintextExportWritten {
  readonly path: string;
  readonly vaults: number;
  readonly items: number;
}

