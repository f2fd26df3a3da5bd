/**
 * Encrypted backups of chosen vaults, their restore (as new vaults, as one new vault, or merged
 * into an existing one), and the plaintext Bitwarden export for leaving Valetkey. A restore writes
 * everything in one transaction, after the whole file has verified.
 */
import { VkError } from '../../shared/errors.js';
import type { BackupRequest, BackupWritten, PlaintextExportRequest, PlaintextExportWritten, RestoreRequest, RestoreResult, RestoredVault } from '../../shared/model.js';
import { wipe } from '../crypto/types.js';
import { existingKeys, duplicateKey } from '../import/vault-contents.js';
import { readImportFile } from '../import/read-import-file.js';
import { checkPassphraseStrength } from '../keys/passphrase-strength.js';
import { moderateLimits, type KdfLimits } from '../keys/passphrase-seal.js';
import type { Database } from '../store/database.js';
import type { VaultStore } from '../vault/vault-store.js';
import { CONTENTS_FORMAT, collectVaults, parseContents, type BackupContents, type BackupVault } from './backup-contents.js';
import { openBackup } from './backup-open.js';
import { sealBackup } from './backup-stream.js';
import { toBitwardenJson } from './bitwarden-export.js';
import { writePrivateFile } from './private-file.js';
import { restorePlan, type RestoreStep } from './restore-plan.js';

export interface BackupServiceOptions {
  /** Argon2id limits for new backups; MODERATE unless a test needs speed. */
  readonly kdfLimits?: () => KdfLimits;
  readonly clock?: () => number;
}

export class BackupService {
  private readonly limits: () => KdfLimits;
  private readonly clock: () => number;

  constructor(
    private readonly vaults: VaultStore,
    private readonly db: Database,
    options: BackupServiceOptions = {},
  ) {
    this.limits = options.kdfLimits ?? moderateLimits;
    this.clock = options.clock ?? Date.now;
  }

  create(request: BackupRequest): BackupWritten {
    checkPassphraseStrength(request.passphrase);
    const chosen = collectVaults(this.vaults, request.vaults);
    const createdAt = new Date(this.clock());
    const contents: BackupContents = { format: CONTENTS_FORMAT, version: 1, createdAt: createdAt.toISOString(), vaults: chosen };
    const plaintext = new TextEncoder().encode(JSON.stringify(contents));
    try {
      const sealed = sealBackup(plaintext, request.passphrase, this.limits(), createdAt);
      writePrivateFile(request.path, sealed, request.force === true);
      return { path: request.path, vaults: chosen.length, entries: countEntries(chosen), bytes: sealed.length };
    } finally {
      wipe(plaintext);
    }
  }

  restore(request: RestoreRequest): RestoreResult {
    const source = readImportFile(request.path);
    let backup: readonly BackupVault[];
    try {
      const plaintext = openBackup(source.bytes, request.passphrase, source.name);
      try {
        backup = parseContents(plaintext, source.name);
      } finally {
        wipe(plaintext);
      }
    } finally {
      wipe(source.bytes);
    }
    const steps = restorePlan(this.vaults, backup, request);
    const restored = this.db.transaction(() => steps.map((step) => this.apply(step, request.keepDuplicates === true))).immediate();
    return { vaults: restored };
  }

  exportBitwarden(request: PlaintextExportRequest): PlaintextExportWritten {
    if (request.acknowledgePlaintext !== true) {
      throw new VkError('invalid_request', '`acknowledgePlaintext` must be true: this writes every secret of the vaults unencrypted to disk');
    }
    const chosen = collectVaults(this.vaults, request.vaults);
    const { json, items } = toBitwardenJson(chosen);
    writePrivateFile(request.path, json, request.force === true);
    return { path: request.path, vaults: chosen.length, items };
  }

  private apply(step: RestoreStep, keepDuplicates: boolean): RestoredVault {
    const vault = step.existingId !== undefined ? this.vaults.getVault(step.existingId) : this.vaults.createVault(step.settings);
    const existing = step.existingId !== undefined ? existingKeys(this.vaults, vault.id) : new Set<string>();
    const entries = keepDuplicates ? step.entries : step.entries.filter((e) => !existing.has(duplicateKey(e)));
    this.vaults.importEntries(vault.id, entries);
    return { vaultId: vault.id, name: vault.name, created: step.existingId === undefined, restored: entries.length, duplicatesSkipped: step.entries.length - entries.length };
  }
}

function countEntries(vaults: readonly BackupVault[]): number {
  return vaults.reduce((n, v) => n + v.entries.length, 0);
}
