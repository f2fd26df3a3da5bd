/**
 * The engine: one object that owns the database, keys, vaults, audit ledger and grant guard,
 * wired in order here (Bitwarden-style: `new`, in order, no container). Every face (daemon,
 * Electron utility process, tests) opens one of these.
 */
import { EventEmitter } from 'node:events';
import { VkError } from '../shared/errors.js';
import { VALETKEY_VERSION } from '../shared/version.js';
import type { AdminEvent, AgentEndpointInfo, AuditRecord, AuditRow, EngineStatus, KeyStorageKind } from '../shared/model.js';
import { AuditLedger } from './audit/audit-ledger.js';
import { startAuditWriterThread } from './audit/audit-writer-thread.js';
import { dataPaths, ensureDataDir, type DataPaths } from './config/data-dir.js';
import { SETTING, Settings } from './config/settings.js';
import { wipe, type MasterKey, type SigningSeed } from './crypto/types.js';
import { GrantGuard } from './admin/grant-guard.js';
import { DashboardLogins } from './dashboard/dashboard-logins.js';
import { verifyAdminPassphrase } from './keys/admin-passphrase.js';
import type { EngineKeys, KeyStore } from './keys/key-store.js';
import { openKeyStore } from './keys/open-key-store.js';
import { publishEngineIdentity } from './keys/engine-identity.js';
import type { KdfLimits } from './keys/passphrase-seal.js';
import { createEngineSigner, type EngineSigner } from './keys/signing-key.js';
import { openDatabase, type Database } from './store/database.js';
import { VaultStore } from './vault/vault-store.js';
import { AuditSinkStore } from './audit-out/sink-store.js';
import { ApprovalBrokerImpl } from './approvals/approval-broker.js';
import { staleReason } from './approvals/stale-check.js';
import { describeVaultEntry } from './approvals/describe-vault-entry.js';
import { DeviceFlowImpl } from './device/device-flow.js';
import { TokenServiceImpl } from './tokens/token-service.js';
import { UploadStore } from './import/upload-store.js';
import { TokenGuardStore } from './tripwires/token-guard-store.js';
import { TripwireService } from './tripwires/tripwire-service.js';
import { RowSeal } from './integrity/row-seal.js';
import { sealExistingRows } from './seal-existing-rows.js';
import { checkedPaused, putPaused } from './integrity/paused-setting.js';
import { HighWaterMark, movesMark } from './integrity/high-water-mark.js';
import { pausedPerLog, revocationsInLog } from './integrity/revocations-in-log.js';
import { checkedAgentPort, freeLoopbackPort, putAgentPort } from './integrity/agent-port-setting.js';
import { join } from 'node:path';
import type { CertificateAuthority } from './proxy-ca/certificate-authority.js';
import { loadDataDirCa, PROXY_CA_FILE } from './proxy-ca/data-dir-ca.js';

export const ENGINE_VERSION = VALETKEY_VERSION;

export interface EngineOptions {
  readonly dataDir: string;
  readonly clock?: () => number;
  /** Override the key store (tests of the key-file path use a faster KDF). */
  readonly keyStore?: KeyStore;
  readonly checkpointEvery?: number;
  /** The agent endpoint's TCP port: it names the token issuer `http://127.0.0.1:<port>`. */
  readonly agentPort?: number;
  /** How long an access waits for a person's approval (default 120 s). */
  readonly approvalTimeoutMs?: number;
  /** Commit audit rows on a worker thread (the daemon does; in-process tests keep one connection). */
  readonly auditWriterThread?: boolean;
  /**
   * Tests only, in-process: Argon2id limits for new backups (default MODERATE), so a test about
   * restore rules does not pay MODERATE per call. The daemon and the app never set it, and no
   * setting or environment variable reaches it; a restore uses the limits in the file's header.
   */
  readonly backupKdfLimits?: () => KdfLimits;
  /**
   * The admin passphrase, given at start by a person who accepts a database older than the
   * engine's high-water mark (`valetkey daemon --accept-older-database`). Never from argv or env.
   */
  readonly acceptOlderDatabase?: string;
}

/**
 * The agent endpoint's port is chosen at random on first start and then kept in settings: it
 * names the issuer, so a stable port keeps issued tokens valid across restarts.
 */
async function agentPortFor(settings: Settings, requested: number | undefined): Promise<number> {
  if (requested !== undefined && requested !== 0) return requested;
  const stored = Number.parseInt(settings.get(SETTING.agentPort) ?? '', 10);
  if (Number.isSafeInteger(stored) && stored > 0 && stored < 65536) return stored;
  const port = await freeLoopbackPort();
  settings.put(SETTING.agentPort, String(port));
  return port;
}

export class Engine {
  readonly events = new EventEmitter<{ event: [AdminEvent] }>();
  readonly grants: GrantGuard;
  readonly ledger: AuditLedger;
  readonly vaults: VaultStore;
  /** Live audit sinks (syslog, Splunk HEC, webhook): configuration, cursors, health. */
  readonly auditSinks: AuditSinkStore;
  /** Login codes and browser sessions of the headless dashboard (in memory only). */
  readonly dashboard: DashboardLogins;
  /** `http://127.0.0.1:<agent port>`: the `iss` and `aud` of every token. */
  readonly issuer: string;
  readonly agentPort: number;
  readonly tokens: TokenServiceImpl;
  readonly approvals: ApprovalBrokerImpl;
  readonly device: DeviceFlowImpl;
  /** Files staged for an import by drag and drop (`<dataDir>/uploads`, 15 minutes each). */
  readonly uploads: UploadStore;
  readonly backupKdfLimits: (() => KdfLimits) | undefined;
  /** Canary entries, per-token rules and per-token pause. */
  readonly tripwires: TripwireService;
  /** MACs of granting rows, and the rows that failed them (docs/security.md, "Granting is for people"). */
  readonly seal: RowSeal;
  /** The keychain's record of how far the audit chain reached: an older database file is refused. */
  private readonly mark: HighWaterMark | undefined;
  private readonly acceptOlder: string | undefined;
  private signingSeed: SigningSeed | undefined;
  private master: MasterKey | undefined;
  private signerValue: EngineSigner | undefined;
  private proxyCaValue: CertificateAuthority | undefined;
  private paused: boolean;
  private endpointInfo: AgentEndpointInfo | undefined;

  private constructor(
    readonly paths: DataPaths,
    readonly db: Database,
    readonly settings: Settings,
    readonly keyStore: KeyStore,
    readonly clock: () => number,
    options: EngineOptions,
    agentPort: number,
  ) {
    this.vaults = new VaultStore(db, clock);
    this.ledger = new AuditLedger(db, {
      clock,
      ...(options.checkpointEvery ? { checkpointEvery: options.checkpointEvery } : {}),
      ...(options.auditWriterThread ? { writer: startAuditWriterThread(paths.database) } : {}),
    });
    this.ledger.onAppend((rows) => this.emit({ type: 'audit.appended', rows }));
    this.mark = keyStore.mark ? new HighWaterMark(keyStore.mark) : undefined;
    this.acceptOlder = options.acceptOlderDatabase;
    this.ledger.onAppend((rows) => {
      if (movesMark(rows, this.ledger.every)) this.mark?.record(this.ledger.head());
    });
    this.grants = new GrantGuard({ clock, verifyPassphrase: (p) => this.verifyAdminPassphrase(p) });
    this.dashboard = new DashboardLogins(clock);
    this.uploads = new UploadStore(join(paths.dataDir, 'uploads'), clock);
    this.backupKdfLimits = options.backupKdfLimits;
    // Trusted once the key is there to check it (checkGrantingRows); until then nothing is released.
    this.paused = settings.get(SETTING.agentsPaused) === 'true';
    this.agentPort = agentPort;
    this.issuer = `http://127.0.0.1:${agentPort}`;
    const audit = (r: AuditRecord) => this.audit(r);
    const emit = (e: AdminEvent) => this.emit(e);
    this.seal = new RowSeal({ clock, audit });
    const seal = this.seal;
    if (!this.ledger.headIntact) seal.report('audit_head', 'head');
    this.auditSinks = new AuditSinkStore(db, clock, seal);
    this.approvals = new ApprovalBrokerImpl({
      db,
      seal,
      audit,
      emit,
      clock,
      describe: describeVaultEntry(this.vaults),
      stale: (tokenId) => this.staleFor(tokenId),
      ...(options.approvalTimeoutMs ? { timeoutMs: options.approvalTimeoutMs } : {}),
    });
    this.tokens = new TokenServiceImpl({
      db,
      seal,
      vaults: this.vaults,
      audit,
      emit,
      clock,
      issuer: this.issuer,
      signer: () => this.tokenKey(),
      onRevoked: (ids) => ids.forEach((id) => this.approvals.cancelForToken(id)),
      recorded: () => this.mark?.settle() ?? Promise.resolve(),
    });
    this.device = new DeviceFlowImpl({ db, seal, audit, emit, clock, vaults: this.vaults, issue: (i) => this.tokens.issueForDevice(i) });
    this.tripwires = new TripwireService({
      tokens: this.tokens,
      approvals: this.approvals,
      guards: new TokenGuardStore(db),
      missing: (tokenId) => seal.report('settings', `token_guard:${tokenId}`),
      pausedInLog: (tokenId) => pausedPerLog(this.ledger.rows, tokenId),
      audit,
      pastRows: (q) => this.ledger.query(q),
      emit,
      master: () => this.currentKeys().master,
      clock,
    });
  }

  /** The key tokens are signed with; a locked engine issues nothing. */
  tokenKey(): EngineSigner {
    if (this.locked || !this.signerValue) throw new VkError('vault_locked');
    return this.signerValue;
  }

  /**
   * Open an initialised data directory. With the keychain the keys are read now and the engine
   * starts unlocked (the OS login is the gate); if the keychain cannot be reached this throws
   * keychain_unavailable and nothing is written. With the key file it starts locked.
   */
  static async open(options: EngineOptions): Promise<Engine> {
    const paths = dataPaths(options.dataDir);
    ensureDataDir(paths.dataDir);
    const db = openDatabase(paths.database);
    let engine: Engine | undefined;
    try {
      const settings = new Settings(db);
      if (!settings.isInitialized()) throw new VkError('not_initialized');
      const kind = settings.get(SETTING.keyStorage) as KeyStorageKind;
      const keyStore = options.keyStore ?? openKeyStore(kind, paths, settings.get(SETTING.installId) ?? '');
      engine = new Engine(paths, db, settings, keyStore, options.clock ?? Date.now, options, await agentPortFor(settings, options.agentPort));
      if (keyStore.kind === 'keychain') {
        await engine.adoptKeys(await keyStore.load());
        // Where the CLI finds the key to check this engine against before it sends a passphrase.
        const x = engine.signer?.publicJwk.x;
        if (x !== undefined) await publishEngineIdentity(paths.dataDir, x);
      }
      return engine;
    } catch (e) {
      // A half-opened engine has timers and a writer thread: stop them, or the process never exits.
      if (engine) await engine.close().catch(() => undefined);
      else db.close();
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
      ...(this.endpointInfo ? { agentEndpoint: this.endpointInfo } : {}),
      tampered: this.seal.tampered(),
    };
  }

  setAgentEndpoint(info: AgentEndpointInfo | undefined): void {
    this.endpointInfo = info;
  }

  /** Keychain: the admin passphrase opens it. Key file: its passphrase decrypts the keys. */
  async unlock(passphrase: string, caller = 'in-process'): Promise<void> {
    if (this.keyStore.kind === 'keychain') {
      this.grants.checkPassphrase(passphrase, caller);
      await this.adoptKeys(await this.keyStore.load());
    } else {
      // The key file's unseal is a passphrase check too: limited per caller like grants.
      await this.adoptKeys(await this.grants.limited(caller, () => this.keyStore.load(passphrase)));
    }
    this.emit({ type: 'lock.changed', locked: false });
  }

  lock(): void {
    this.vaults.lock();
    this.master = undefined;
    this.grants.closeAll();
    this.approvals.cancelAll('vault_locked');
    this.emit({ type: 'lock.changed', locked: true });
  }

  setPaused(paused: boolean): void {
    this.paused = paused;
    putPaused(this.settings, this.seal, paused);
    const port = this.settings.get(SETTING.agentPort);
    if (!paused && port !== undefined && this.seal.ready) putAgentPort(this.settings, this.seal, port);
    if (paused) this.approvals.cancelAll('agents_paused');
    this.emit({ type: 'agents.paused', paused });
  }

  /** Why a request of this token may no longer be released, checked right before a release. */
  private staleFor(tokenId: string): VkError | undefined {
    return staleReason({ locked: this.locked, paused: this.paused, record: this.tokens.record(tokenId), now: this.clock() });
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
    let verifier: string;
    try {
      verifier = this.settings.adminVerifier(this.signingSeed);
    } catch (e) {
      // A verifier swapped in the database (for the agent's own passphrase) grants nothing, and is reported.
      if (!(e instanceof VkError) || e.code !== 'integrity_error') throw e;
      this.seal.report('settings', SETTING.adminPassphrase);
      throw new VkError('tamper_detected');
    }
    return verifyAdminPassphrase(verifier, candidate);
  }

  /** Checkpoints are signed by the engine's own key; any other key id is a failure. */
  verifyCheckpoint(data: Uint8Array, signature: Uint8Array, keyId: string): boolean {
    const signer = this.signerValue;
    if (!signer) throw new VkError('vault_locked');
    return keyId === signer.keyId && signer.verify(data, signature);
  }

  /** The data directory's CA for the HTTPS proxy (its key derives from the signing seed); none while there is no seed. */
  proxyCa(): CertificateAuthority {
    if (!this.proxyCaValue) throw new VkError('vault_locked');
    return this.proxyCaValue;
  }

  /** The signing seed, for code that derives keys from it (settings MAC). Locked key-file engines have none. */
  requireSigningSeed(): SigningSeed {
    if (!this.signingSeed) throw new VkError('vault_locked');
    return this.signingSeed;
  }

  async close(): Promise<void> {
    this.approvals.close();
    this.uploads.close();
    this.tokens.flush();
    await this.ledger.close();
    this.mark?.record(this.ledger.head());
    await this.mark?.settle();
    this.vaults.lock();
    wipe(this.signingSeed);
    this.db.close();
  }

  private async adoptKeys(keys: EngineKeys): Promise<void> {
    if (!this.signingSeed) {
      await this.checkMark(keys.signing);
      this.signingSeed = keys.signing;
      this.signerValue = await createEngineSigner(keys.signing);
      this.ledger.setSigner(this.signerValue);
      this.seal.setSeed(keys.signing);
      await this.checkGrantingRows();
      const loaded = loadDataDirCa(this.paths.dataDir, keys.signing);
      if (loaded.replacedForeign) this.seal.report('proxy_ca', PROXY_CA_FILE);
      this.proxyCaValue = loaded.ca;
    } else {
      wipe(keys.signing);
    }
    this.vaults.unlock(keys.master);
    this.master = keys.master;
  }

  /**
   * Before anything is signed over it: a database that does not reach the high-water mark was put
   * back from an earlier copy. Refused, unless the person starting the engine accepts it with the
   * admin passphrase (audited; the mark then follows this file).
   */
  private async checkMark(seed: SigningSeed): Promise<void> {
    await this.mark?.checkAtStart(this.db, this.ledger.head(), {
      refused: () => this.seal.report('audit_head', 'high-water mark'),
      accepted: async () => {
        if (this.acceptOlder === undefined) return false;
        if (!verifyAdminPassphrase(this.settings.adminVerifier(seed), this.acceptOlder)) throw new VkError('passphrase_invalid');
        await this.audit({ actor: 'person', action: 'integrity.older_database_accepted', outcome: 'ok', detail: { fileSeq: this.ledger.head().seq } });
        return true;
      },
    });
  }

  /**
   * First moment the MAC key exists: rows from before migration 5 get their MACs (once), then
   * every loaded token row is checked, so tampering shows in the status before any request.
   */
  private async checkGrantingRows(): Promise<void> {
    await sealExistingRows({ db: this.db, settings: this.settings, seal: this.seal, ledger: this.ledger });
    this.tokens.loadChecked(revocationsInLog(this.ledger.rows));
    this.vaults.floors.load(this.ledger.rows, (table, id) => this.seal.report(table, id));
    this.paused ||= checkedPaused(this.settings, this.seal);
    // A port moved outside Valetkey keeps agents paused until the person has looked (and resumes).
    this.paused ||= !checkedAgentPort(this.settings, this.seal);
  }

  /** Both keys, for the recovery kit. Only while unlocked. */
  currentKeys(): EngineKeys {
    if (!this.master || !this.signingSeed || this.locked) throw new VkError('vault_locked');
    return { master: this.master, signing: this.signingSeed };
  }
}
