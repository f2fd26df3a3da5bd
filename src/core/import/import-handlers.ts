/**
 * The admin API's import methods. Both are grants (checked by AdminService before these run):
 * the preview compares the file with a vault's contents, and the import writes secrets. Each is
 * audited with counts, never values, before the answer goes back.
 */
import type { AdminEvent, ImportRequest } from '../../shared/model.js';
import type { Handlers, RecordAudit } from '../admin/admin-service.js';
import type { Database } from '../store/database.js';
import type { VaultStore } from '../vault/vault-store.js';
import { ImportService } from './import-service.js';
import type { UploadStore } from './upload-store.js';
import { definedOnly } from '../../shared/defined-only.js';

/** What the import methods reach: the vaults they read and write, staged uploads, the audit, events. */
export interface ImportHandlerDeps {
  readonly vaults: VaultStore;
  readonly db: Database;
  readonly uploads: UploadStore;
  readonly audit: RecordAudit;
  readonly emit: (event: AdminEvent) => void;
}

type ImportMethods = 'previewImport' | 'runImport';

/** The request without the grant, and without fields given as null (the service insists on exactly one of `path` and `upload`). */
function importRequest(p: ImportRequest): ImportRequest {
  const { path, upload, format, vault, newVaultName, kdbxPassword, keepDuplicates } = p;
  return definedOnly({ path, upload, format, vault, newVaultName, kdbxPassword, keepDuplicates });
}

/** For the audit row: where the file came from, never its path or name. */
function sourceOf(p: ImportRequest): 'upload' | 'path' {
  return p.upload !== undefined ? 'upload' : 'path';
}

export function importHandlers(deps: ImportHandlerDeps): Handlers<ImportMethods> {
  const service = new ImportService(deps.vaults, deps.db, deps.uploads);
  return {
    previewImport: async (p, ctx) => {
      const preview = await service.preview(importRequest(p));
      await deps.audit({
        actor: 'person',
        action: 'vault.import_preview',
        outcome: 'ok',
        ...(preview.target.vaultId ? { vaultId: preview.target.vaultId } : {}),
        detail: { via: ctx.via, source: sourceOf(p), format: preview.format, items: preview.itemsInFile, toImport: preview.toImport, duplicates: preview.duplicateCount, skipped: preview.skippedCount },
      });
      return preview;
    },
    runImport: async (p, ctx) => {
      const request = importRequest(p);
      const result = await service.run(request);
      await deps.audit({
        actor: 'person',
        action: 'vault.import',
        outcome: 'ok',
        vaultId: result.vault.id,
        detail: {
          via: ctx.via,
          source: sourceOf(p),
          format: result.format,
          newVault: request.newVaultName !== undefined,
          imported: result.imported,
          // Keys that name no secret: the audit validator refuses `api_key`-like keys outright.
          logins: result.byKind.login,
          apiKeyEntries: result.byKind.api_key,
          notes: result.byKind.note,
          duplicatesSkipped: result.duplicatesSkipped,
          skipped: result.skipped,
          notMapped: result.notMapped,
        },
      });
      deps.emit({ type: 'vaults.changed' });
      return result;
    },
  };
}
