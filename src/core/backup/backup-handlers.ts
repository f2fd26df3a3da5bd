/**
 * The admin API's backup, restore and plaintext-export methods: all grants (they move every
 * secret of a vault into or out of a file), checked by AdminService before these run, and each
 * audited with counts before the answer goes back.
 */
import { definedOnly } from '../../shared/defined-only.js';
import { loadSodium } from '../crypto/sodium.js';
import type { Handlers, RecordAudit } from '../admin/admin-service.js';
import type { AdminEvent } from '../../shared/model.js';
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

export function backupHandlers(
  deps: BackupHandlerDeps,
  service = new BackupService(deps.vaults, deps.db, { clock: deps.clock, ...(deps.backupKdfLimits ? { kdfLimits: deps.backupKdfLimits } : {}) }),
): Handlers<BackupMethods> {
  const person = (action: string, vaultId: string | undefined, detail: Record<string, unknown>) =>
    deps.audit({ actor: 'person', action, outcome: 'ok', ...(vaultId ? { vaultId } : {}), detail });
  return {
    createBackup: async (p, ctx) => {
      await loadSodium(); // secretstream; loaded here, not at every engine start
      const written = service.create({ vaults: p.vaults, path: p.path, passphrase: p.passphrase, ...definedOnly({ force: p.force }) });
      await person('vault.backup', undefined, { via: ctx.via, vaults: written.vaults, entries: written.entries });
      return written;
    },
    restoreBackup: async (p, ctx) => {
      const request = { path: p.path, passphrase: p.passphrase, ...definedOnly({ asNew: p.asNew, mergeInto: p.mergeInto, keepDuplicates: p.keepDuplicates }) };
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
        vaults: p.vaults,
        path: p.path,
        acknowledgePlaintext: p.acknowledgePlaintext,
        ...definedOnly({ force: p.force }),
      });
      await person('vault.export_plaintext', undefined, { via: ctx.via, format: 'bitwarden_json', vaults: written.vaults, items: written.items });
      return written;
    },
  };
}
