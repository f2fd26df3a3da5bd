/**
 * The admin API's backup, restore and plaintext-export methods: all grants (they move every
 * secret of a vault into or out of a file), checked by AdminService before these run, and each
 * audited with counts before the answer goes back.
 */
import { VkError } from '../../shared/errors.js';
import { loadSodium } from '../crypto/sodium.js';
import type { Handlers, RecordAudit } from '../admin/admin-service.js';
import { optStr, str, type Params } from '../admin/params.js';
import type { AdminEvent } from '../../shared/model.js';
import { optBool } from '../import/import-handlers.js';
import type { KdfLimits } from '../keys/passphrase-seal.js';
import type { Database } from '../store/database.js';
import type { VaultStore } from '../vault/vault-store.js';
import { BackupService } from './backup-service.js';

/** What the backup methods reach: the vaults, the clock and KDF limits for new backups, the audit, events. */
export interface BackupHandlerDeps {
  readonly vaults: VaultStore;
  readonly db: Database;
  readonly clock: () => number;
  readonly backupKdfLimits: (() => KdfLimits) | undefined;
  readonly audit: RecordAudit;
  readonly emit: (event: AdminEvent) => void;
}

type BackupMethods = 'createBackup' | 'restoreBackup' | 'exportBitwarden';

function vaultRefs(p: Params): readonly string[] {
  const v = p['vaults'];
  if (!Array.isArray(v) || v.length === 0 || !v.every((x): x is string => typeof x === 'string' && x.length > 0)) {
    throw new VkError('invalid_request', '`vaults` must be a non-empty array of vault ids or names');
  }
  return v;
}

function optional<T extends Record<string, unknown>>(values: T): Partial<T> {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined)) as Partial<T>;
}

export function backupHandlers(
  deps: BackupHandlerDeps,
  service = new BackupService(deps.vaults, deps.db, { clock: deps.clock, ...(deps.backupKdfLimits ? { kdfLimits: deps.backupKdfLimits } : {}) }),
): Handlers<BackupMethods> {
  const person = (action: string, vaultId: string | undefined, detail: Record<string, unknown>) =>
    deps.audit({ actor: 'person', action, outcome: 'ok', ...(vaultId ? { vaultId } : {}), detail });
  return {
    createBackup: async (p, ctx) => {
      await loadSodium(); // secretstream; loaded here, not at every engine start
      const written = service.create({ vaults: vaultRefs(p), path: str(p, 'path'), passphrase: str(p, 'passphrase'), ...optional({ force: optBool(p, 'force') }) });
      await person('vault.backup', undefined, { via: ctx.via, vaults: written.vaults, entries: written.entries });
      return written;
    },
    restoreBackup: async (p, ctx) => {
      const request = { path: str(p, 'path'), passphrase: str(p, 'passphrase'), ...optional({ asNew: optStr(p, 'asNew'), mergeInto: optStr(p, 'mergeInto'), keepDuplicates: optBool(p, 'keepDuplicates') }) };
      await loadSodium();
      const result = service.restore(request);
      for (const v of result.vaults) {
        await person('vault.restore', v.vaultId, { via: ctx.via, created: v.created, restored: v.restored, duplicatesSkipped: v.duplicatesSkipped });
      }
      deps.emit({ type: 'vaults.changed' });
      return result;
    },
    exportBitwarden: async (p, ctx) => {
      const written = service.exportBitwarden({
        vaults: vaultRefs(p),
        path: str(p, 'path'),
        acknowledgePlaintext: p['acknowledgePlaintext'] === true,
        ...optional({ force: optBool(p, 'force') }),
      });
      await person('vault.export_plaintext', undefined, { via: ctx.via, format: 'bitwarden_json', vaults: written.vaults, items: written.items });
      return written;
    },
  };
}
