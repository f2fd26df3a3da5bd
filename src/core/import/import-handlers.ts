/**
 * The admin API's import methods. Both are grants (checked by AdminService before these run):
 * the preview compares the file with a vault's contents, and the import writes secrets. Each is
 * audited with counts, never values, before the answer goes back.
 */
import type { ImportRequest } from '../../shared/model.js';
import type { Handlers } from '../admin/admin-service.js';
import type { Engine } from '../engine.js';
import { ImportService } from './import-service.js';
import { definedOnly } from '../../shared/defined-only.js';

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

export function importHandlers(engine: Engine): Handlers<ImportMethods> {
  const service = new ImportService(engine.vaults, engine.db, engine.uploads);
  return {
    previewImport: async (p, ctx) => {
      const preview = await service.preview(importRequest(p));
      await engine.audit({
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
      await engine.audit({
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
      engine.emit({ type: 'vaults.changed' });
      return result;
    },
  };
}
