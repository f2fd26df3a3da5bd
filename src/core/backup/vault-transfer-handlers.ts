/** Everything that moves vaults in and out of files, as one set for the admin service. */
import type { Handlers } from '../admin/admin-service.js';
import type { Engine } from '../engine.js';
import { importHandlers } from '../import/import-handlers.js';
import { backupHandlers } from './backup-handlers.js';

export function vaultTransferHandlers(engine: Engine): Handlers<'previewImport' | 'runImport' | 'createBackup' | 'restoreBackup' | 'exportBitwarden'> {
  return { ...importHandlers(engine), ...backupHandlers(engine) };
}
