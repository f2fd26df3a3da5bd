/**
 * Imports, dry run first. `preview` reads and maps the file and compares it with the target vault
 * without writing; `run` does the same work again (it never trusts an earlier preview) and writes
 * the plan's entries, and the new vault if asked for one, in ONE transaction: a failure anywhere
 * leaves the database as it was.
 */
import { VkError } from '../../shared/errors.js';
import type { ImportPreview, ImportRequest, ImportResult, VaultInfo } from '../../shared/model.js';
import type { Database } from '../store/database.js';
import { nameKey } from '../vault/input-checks.js';
import { validateVaultInput } from '../vault/vault-validation.js';
import type { VaultStore } from '../vault/vault-store.js';
import { planImport, type ImportPlan } from './import-plan.js';
import { readImportFile } from './read-import-file.js';
import { IMPORT_LIMITS, parseInWorker, type ImportLimits } from './import-runner.js';
import type { ImportSource } from './import-item.js';
import type { UploadStore } from './upload-store.js';
import { existingKeys } from './vault-contents.js';

export interface ImportTarget {
  readonly vault: VaultInfo | undefined;
  readonly name: string;
}

interface Prepared {
  readonly file: string;
  readonly target: ImportTarget;
  readonly plan: ImportPlan;
}

export class ImportService {
  constructor(
    private readonly vaults: VaultStore,
    private readonly db: Database,
    private readonly uploads: UploadStore,
    private readonly limits: ImportLimits = IMPORT_LIMITS,
  ) {}

  async preview(request: ImportRequest): Promise<ImportPreview> {
    const { file, target, plan } = await this.prepare(request);
    return { file, target: { vaultId: target.vault?.id ?? null, vaultName: target.name, isNew: target.vault === undefined }, ...plan.summary };
  }

  async run(request: ImportRequest): Promise<ImportResult> {
    const { target, plan } = await this.prepare(request);
    const vaultId = this.db.transaction(() => {
      const id = target.vault?.id ?? this.vaults.createVault({ name: target.name }).id;
      this.vaults.importEntries(id, plan.entries);
      return id;
    }).immediate();
    // Used: a staged upload is deleted once its entries are in (a failed import keeps it, to retry).
    if (request.upload !== undefined) this.uploads.discard(request.upload);
    const { summary } = plan;
    return {
      vault: this.vaults.getVault(vaultId),
      format: summary.format,
      imported: plan.entries.length,
      byKind: summary.byKind,
      duplicatesSkipped: plan.duplicatesSkipped,
      skipped: summary.skippedCount,
      notMapped: summary.notMappedCount,
    };
  }

  private async prepare(request: ImportRequest): Promise<Prepared> {
    const target = this.target(request);
    const source = this.source(request);
    try {
      // Off the event loop: a hostile file ends its own worker (import-runner.ts).
      const parsed = await parseInWorker(source, request.format, this.limits);
      const existing = target.vault ? existingKeys(this.vaults, target.vault.id) : new Set<string>();
      return { file: source.name, target, plan: planImport(parsed, existing, request.keepDuplicates === true) };
    } finally {
      source.bytes.fill(0);
    }
  }

  /** Exactly one of `path` (a file on this machine) and `upload` (a staged file). */
  private source(request: ImportRequest): ImportSource {
    const { path, upload, kdbxPassword } = request;
    if ((path === undefined) === (upload === undefined)) {
      throw new VkError('invalid_request', 'give either `path` (a file on this machine) or `upload` (a staged upload id)');
    }
    return upload !== undefined ? this.uploads.source(upload, kdbxPassword) : readImportFile(path ?? '', kdbxPassword);
  }

  /** Exactly one of `vault` (existing) and `newVaultName` (free, valid). */
  private target(request: ImportRequest): ImportTarget {
    const { vault, newVaultName } = request;
    if ((vault === undefined) === (newVaultName === undefined)) throw new VkError('invalid_request', 'give either `vault` (an existing vault) or `newVaultName`');
    if (vault !== undefined) {
      const info = this.vaults.getVault(vault);
      return { vault: info, name: info.name };
    }
    const { name } = validateVaultInput({ name: newVaultName ?? '' });
    if (this.vaults.listVaults().some((v) => nameKey(v.name) === nameKey(name))) {
      throw new VkError('conflict', 'a vault with that name already exists; import into it with `vault` instead');
    }
    return { vault: undefined, name };
  }
}
