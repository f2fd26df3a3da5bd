/**
 * The admin API's import methods. Both are grants (checked by AdminService before these run):
 * the preview compares the file with a vault's contents, and the import writes secrets. Each is
 * audited with counts, never values, before the answer goes back.
 */
import { VkError } from '../../shared/errors.js';
import { IMPORT_FORMATS, type ImportFormat, type ImportRequest } from '../../shared/model.js';
import type { Handlers, RecordAudit } from '../admin/admin-service.js';
import { optStr, type Params } from '../admin/params.js';
import type { AdminEvent } from '../../shared/model.js';
import type { Database } from '../store/database.js';
import type { VaultStore } from '../vault/vault-store.js';
import { ImportService } from './import-service.js';
import type { UploadStore } from './upload-store.js';

/** What the import methods reach: the vaults they read and write, staged uploads, the audit, events. */
export interface ImportHandlerDeps {
  readonly vaults: VaultStore;
  readonly db: Database;
  readonly uploads: UploadStore;
  readonly audit: RecordAudit;
  readonly emit: (event: AdminEvent) => void;
}

type ImportMethods = 'previewImport' | 'runImport';

export function optBool(p: Params, name: string): boolean | undefined {
  const v = p[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'boolean') throw new VkError('invalid_request', `\`${name}\` must be true or false`);
  return v;
}

function optFormat(p: Params): ImportFormat | undefined {
  const v = optStr(p, 'format');
  if (v === undefined) return undefined;
  const format = IMPORT_FORMATS.find((f) => f === v);
  if (format === undefined) throw new VkError('invalid_request', `\`format\` must be one of ${IMPORT_FORMATS.join(', ')}`);
  return format;
}

export function importRequest(p: Params): ImportRequest {
  const optional = {
    format: optFormat(p),
    vault: optStr(p, 'vault'),
    newVaultName: optStr(p, 'newVaultName'),
    kdbxPassword: optStr(p, 'kdbxPassword'),
    keepDuplicates: optBool(p, 'keepDuplicates'),
    path: optStr(p, 'path'),
    upload: optStr(p, 'upload'),
  };
  // The service insists on exactly one of `path` and `upload`.
  return Object.fromEntries(Object.entries(optional).filter(([, v]) => v !== undefined));
}

/** For the audit row: where the file came from, never its path or name. */
function sourceOf(p: Params): 'upload' | 'path' {
  return p['upload'] !== undefined ? 'upload' : 'path';
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
