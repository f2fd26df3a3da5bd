/**
 * First run: create the keys, store them in the chosen key store, and record the admin
 * passphrase verifier. The key store is written first, so a keychain that cannot be reached
 * stops set-up before the database records anything, and nothing is ever kept in plaintext.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, rmSync } from 'node:fs';
import { VkError } from '../shared/errors.js';
import type { KeyStorageKind } from '../shared/model.js';
import { dataPaths, ensureDataDir } from './config/data-dir.js';
import { SETTING, Settings } from './config/settings.js';
import { checkPassphraseStrength, hashAdminPassphrase } from './keys/admin-passphrase.js';
import { generateEngineKeys, type KeyStore } from './keys/key-store.js';
import { openKeyStore } from './keys/open-key-store.js';
import { openDatabase } from './store/database.js';
import { AuditLedger } from './audit/audit-ledger.js';
import { ROWS_SEALED_ACTION } from './audit/audit-head.js';
import { RowSeal } from './integrity/row-seal.js';
import { putPaused } from './integrity/paused-setting.js';
import { freeLoopbackPort, putAgentPort } from './integrity/agent-port-setting.js';
import { SEALED_SCHEMA } from './seal-existing-rows.js';
import { createEngineSigner } from './keys/signing-key.js';

export interface InitOptions {
  readonly dataDir: string;
  readonly adminPassphrase: string;
  readonly keyStorage: KeyStorageKind;
  /** Tests may pass a key store with a faster KDF. */
  readonly keyStore?: (installId: string) => KeyStore;
}

export async function initEngine(options: InitOptions): Promise<{ installId: string }> {
  checkPassphraseStrength(options.adminPassphrase);
  const paths = dataPaths(options.dataDir);
  ensureDataDir(paths.dataDir);
  const fresh = !existsSync(paths.database);
  const db = openDatabase(paths.database);
  try {
    const settings = new Settings(db);
    if (settings.isInitialized()) throw new VkError('already_initialized');
    const installId = randomBytes(12).toString('hex');
    const keyStore = options.keyStore?.(installId) ?? openKeyStore(options.keyStorage, paths, installId);
    const keys = generateEngineKeys();
    await keyStore.create(keys, options.adminPassphrase);
    const signer = await createEngineSigner(keys.signing);
    settings.putMany({
      [SETTING.installId]: installId,
      [SETTING.keyStorage]: keyStore.kind,
      [SETTING.createdAt]: new Date().toISOString(),
    });
    const seal = new RowSeal({ clock: Date.now, audit: () => Promise.resolve() });
    seal.setSeed(keys.signing);
    putPaused(settings, seal, false);
    // Chosen here, where the key is at hand, so the port carries its MAC from the start.
    putAgentPort(settings, seal, String(await freeLoopbackPort()));
    settings.putAdminVerifier(hashAdminPassphrase(options.adminPassphrase), keys.signing);
    // A new database has no rows from before row MACs: nothing for the first unlock to seal. The
    // audit row says so, so a seal request forged later is recognised (seal-existing-rows.ts).
    settings.delete(SETTING.sealPending);
    const ledger = new AuditLedger(db, { signer });
    await ledger.append({ actor: 'person', action: 'engine.init', outcome: 'ok', detail: { keyStorage: keyStore.kind } });
    await ledger.append({ actor: 'engine', action: ROWS_SEALED_ACTION, outcome: 'ok', detail: { tokens: 0, deviceRequests: 0, approvals: 0, auditSinks: 0, settings: 0, auditRetention: 0, schema: SEALED_SCHEMA } });
    await ledger.flush();
    ledger.signHead();
    keys.master.fill(0);
    keys.signing.fill(0);
    db.close();
    return { installId };
  } catch (e) {
    db.close();
    if (fresh) for (const f of [paths.database, `${paths.database}-wal`, `${paths.database}-shm`]) rmSync(f, { force: true });
    throw e;
  }
}
