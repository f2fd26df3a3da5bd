/**
 * The engine: one object that owns the database, keys, vaults, audit ledger and grant guard,
 * wired in order here (Bitwarden-style: `new`, in order, no container). Every face (daemon,
 * Electron utility process, tests) opens one of these.
 */
import { EventEmitter } from 'node:events';
import { VkError } from '../shared/errors.js';
import type { AdminEvent, AuditRecord, AuditRow, EngineStatus, KeyStorageKind } from '../shared/model.js';
import { AuditLedger } from './audit/audit-ledger.js';
import { dataPaths, ensureDataDir, type DataPaths } from './config/data-dir.js';
import { SETTING, Settings } from './config/settings.js';
import { loadSodium } from './crypto/sodium.js';
import { wipe, type MasterKey, type SigningSeed } from './crypto/types.js';
import { GrantGuard } from './admin/grant-guard.js';
import { verifyAdminPassphrase } from './keys/admin-passphrase.js';
import type { EngineKeys, KeyStore } from './keys/key-store.js';
import { openKeyStore } from './keys/open-key-store.js';
import { createEngineSigner, type EngineSigner } from './keys/signing-key.js';
import { openDatabase, type Database } from './store/database.js';
import { VaultStore } from './vault/vault-store.js';

export const ENGINE_VERSION = '0.1.0';

export interface EngineOptions {
  readonly dataDir: string;
  readonly clock?: () => number;
  /** Override the key store (tests of the key-file path use a faster KDF). */
  readonly keyStore?: KeyStore;
  readonly checkpointEvery?: number;
}

export class Engine {
  readonly events = new EventEmitter<{ event: [AdminEvent] }>();
  readonly grants: GrantGuard;
  readonly ledger: AuditLedger;
  readonly vaults: VaultStore;
  private signingSeed: SigningSeed | undefined;
  private master: MasterKey | undefined;
  private signerValue: EngineSigner | undefined;
  private paused: boolean;

  private constructor(
    readonly paths: DataPaths,
    readonly db: Database,
    readonly settings: Settings,
    readonly keyStore: KeyStore,
    readonly clock: () => number,
    checkpointEvery: number | undefined,
  ) {
    this.vaults = new VaultStore(db, clock);
    this.ledger = new AuditLedger(db, { clock, ...(checkpointEvery ? { checkpointEvery } : {}) });
    this.ledger.onAppend((rows) => this.emit({ type: 'audit.appended', rows }));
    this.grants = new GrantGuard({ clock, verifyPassphrase: (p) => this.verifyAdminPassphrase(p) });
    this.paused = settings.get(SETTING.agentsPaused) === 'true';
  }

  /**
   * Open an initialised data directory. With the keychain the keys are read now and the engine
   * starts unlocked (the OS login is the gate); if the keychain cannot be reached this throws
   * keychain_unavailable and nothing is written. With the key file it starts locked.
   */
  static async open(options: EngineOptions): Promise<Engine> {
    await loadSodium();
    const paths = dataPaths(options.dataDir);
    ensureDataDir(paths.dataDir);
    const db = openDatabase(paths.database);
    try {
      const settings = new Settings(db);
      if (!settings.isInitialized()) throw new VkError('not_initialized');
      const kind = settings.get(SETTING.keyStorage) as KeyStorageKind;
      const keyStore = options.keyStore ?? openKeyStore(kind, paths, settings.get(SETTING.installId) ?? '');
      const engine = new Engine(paths, db, settings, keyStore, options.clock ?? Date.now, options.checkpointEvery);
      if (keyStore.kind === 'keychain') await engine.adoptKeys(await keyStore.load());
      return engine;
    } catch (e) {
      db.close();
      throw e;
    }
  }

  get signer(): EngineSigner | undefined {
    return this.signerValue;
  }

  get locked(): boolean {
    return !this.vaults.isUnlocked();
  }

  get agentsPaused(): boolean {
    return this.paused;
  }

  status(): EngineStatus {
    return {
      version: ENGINE_VERSION,
      initialized: true,
      locked: this.locked,
      agentsPaused: this.paused,
      keyStorage: this.keyStore.kind,
      dataDir: this.paths.dataDir,
    };
  }

  /** Keychain: the admin passphrase opens it. Key file: its passphrase decrypts the keys. */
  async unlock(passphrase: string): Promise<void> {
    if (this.keyStore.kind === 'keychain') {
      this.grants.checkPassphrase(passphrase);
      await this.adoptKeys(await this.keyStore.load());
    } else {
      await this.adoptKeys(await this.keyStore.load(passphrase));
    }
    this.emit({ type: 'lock.changed', locked: false });
  }

  lock(): void {
    this.vaults.lock();
    this.master = undefined;
    this.grants.closeAll();
    this.emit({ type: 'lock.changed', locked: true });
  }

  setPaused(paused: boolean): void {
    this.paused = paused;
    this.settings.put(SETTING.agentsPaused, String(paused));
    this.emit({ type: 'agents.paused', paused });
  }

  /** Append an audit row; resolves once it is durably committed. */
  audit(record: AuditRecord): Promise<AuditRow> {
    return this.ledger.append(record);
  }

  emit(event: AdminEvent): void {
    this.events.emit('event', event);
  }

  subscribe(listener: (e: AdminEvent) => void): () => void {
    this.events.on('event', listener);
    return () => this.events.off('event', listener);
  }

  verifyAdminPassphrase(candidate: string): boolean {
    if (!this.signingSeed) throw new VkError('vault_locked');
    return verifyAdminPassphrase(this.settings.adminVerifier(this.signingSeed), candidate);
  }

  /** Checkpoints are signed by the engine's own key; any other key id is a failure. */
  verifyCheckpoint(data: Uint8Array, signature: Uint8Array, keyId: string): boolean {
    const signer = this.signerValue;
    if (!signer) throw new VkError('vault_locked');
    return keyId === signer.keyId && signer.verify(data, signature);
  }

  /** The signing seed, for code that derives keys from it (settings MAC). Locked key-file engines have none. */
  requireSigningSeed(): SigningSeed {
    if (!this.signingSeed) throw new VkError('vault_locked');
    return this.signingSeed;
  }

  async close(): Promise<void> {
    await this.ledger.flush();
    this.vaults.lock();
    wipe(this.signingSeed);
    this.db.close();
  }

  private async adoptKeys(keys: EngineKeys): Promise<void> {
    if (!this.signingSeed) {
      this.signingSeed = keys.signing;
      this.signerValue = await createEngineSigner(keys.signing);
      this.ledger.setSigner(this.signerValue);
    } else {
      wipe(keys.signing);
    }
    this.vaults.unlock(keys.master);
    this.master = keys.master;
  }

  /** Both keys, for the recovery kit. Only while unlocked. */
  currentKeys(): EngineKeys {
    if (!this.master || !this.signingSeed || this.locked) throw new VkError('vault_locked');
    return { master: this.master, signing: this.signingSeed };
  }
}
