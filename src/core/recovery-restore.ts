/**
 * Restore the keys of a data directory from its recovery kit, with the engine stopped: for a new
 * machine, a wiped keychain or a lost key file. The kit must belong to this data directory and
 * its signing key must match the one the admin passphrase verifier was sealed with.
 */
import { VkError } from '../shared/errors.js';
import type { KeyStorageKind } from '../shared/model.js';
import { dataPaths } from './config/data-dir.js';
import { SETTING, Settings } from './config/settings.js';
import { acquireInstanceLock } from './daemon/instance-lock.js';
import { verifyAdminPassphrase } from './keys/admin-passphrase.js';
import { openKeyStore } from './keys/open-key-store.js';
import { importRecoveryKit } from './keys/recovery-kit.js';
import { openDatabase } from './store/database.js';
import { VaultStore } from './vault/vault-store.js';

export interface RestoreOptions {
  readonly dataDir: string;
  readonly kit: string;
  readonly kitPassphrase: string;
  /** The admin passphrase: proves a person is there, and seals the key file in key-file mode. */
  readonly adminPassphrase: string;
}

export async function restoreFromRecoveryKit(options: RestoreOptions): Promise<{ keyStorage: KeyStorageKind }> {
  const paths = dataPaths(options.dataDir);
  const lock = acquireInstanceLock(paths.lockFile);
  const db = openDatabase(paths.database);
  try {
    const settings = new Settings(db);
    if (!settings.isInitialized()) throw new VkError('not_initialized');
    const installId = settings.get(SETTING.installId) ?? '';
    const { keys, installId: kitInstall } = importRecoveryKit(options.kit, options.kitPassphrase);
    if (kitInstall !== installId) throw new VkError('invalid_recovery_kit', 'this kit belongs to another Valetkey data directory');
    // The verifier's MAC is keyed by the signing key: it both checks the kit and the person's passphrase.
    const verifier = settings.adminVerifier(keys.signing);
    if (!verifyAdminPassphrase(verifier, options.adminPassphrase)) throw new VkError('passphrase_invalid');
    const vaults = new VaultStore(db);
    vaults.unlock(keys.master);
    vaults.listVaults(); // every vault key must unwrap with the kit's master key
    const kind = settings.get(SETTING.keyStorage) as KeyStorageKind;
    const store = openKeyStore(kind, paths, installId);
    await store.replace(keys, options.adminPassphrase);
    vaults.lock();
    keys.signing.fill(0);
    return { keyStorage: kind };
  } finally {
    db.close();
    lock.release();
  }
}
