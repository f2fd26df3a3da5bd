/**
 * The admin API: the one contract between the engine and every face a person uses (CLI, browser
 * dashboard, Electron window). The engine implements it once (`AdminService`); transports are
 * generated from `ADMIN_METHODS`, never written per method.
 *
 * Every method takes one params object and returns a promise. Methods are of three classes:
 *  - `read`:  needs only the transport's session secret (looking never widens access);
 *  - `safe`:  also only the session secret, because it can only make things safer (lock, pause);
 *  - `grant`: widens what someone can reach or reveals a secret, so it needs proof that a person
 *             is there: `grant: { passphrase }` or `grant: { session }` from `openGrantSession`.
 *             (docs/security.md, "Granting is for people".)
 */
import type {
  AdminEvent,
  ApprovalDecision,
  ApprovalInfo,
  ApprovalSetting,
  CreatedToken,
  DeviceRequestInfo,
  TokenInfo,
  TokenInput,
  AuditPage,
  AuditQuery,
  AuditVerification,
  EngineStatus,
  Entry,
  EntryInput,
  EntrySummary,
  VaultInfo,
  VaultInput,
  BackupRequest,
  BackupWritten,
  ImportPreview,
  ImportRequest,
  ImportResult,
  PlaintextExportRequest,
  PlaintextExportWritten,
  RestoreRequest,
  RestoreResult,
  StagedUpload,
  AlertInfo,
  TokenRules,
  TokenTripwires,
} from './model.js';
import { fromWire, VkError, type WireError } from './errors.js';
import type {
  AuditExportDownload,
  AuditExportRequest,
  AuditExportSummary,
  AuditExportVerification,
  AuditRetentionInfo,
  AuditRetentionPolicy,
  AuditRetentionRun,
  AuditSinkChanges,
  AuditSinkInfo,
  AuditSinkInput,
  AuditSinkTestResult,
} from './model.js';

export type GrantProof = { readonly passphrase: string } | { readonly session: string };

/** Carried by grant methods. */
export interface Granted {
  readonly grant?: GrantProof;
}

export type Empty = Record<string, never>;

export interface AdminApi {
  // ---- engine state ----
  status(p: Empty): Promise<EngineStatus>;
  /**
   * The engine signs the caller's challenge with its signing key, with the socket it answers on,
   * so the CLI can tell it from a server an agent put in its place before sending a passphrase.
   */
  proveEngine(p: { readonly challenge: string }): Promise<{ readonly signature: string; readonly adminSocket: string }>;
  lock(p: Empty): Promise<EngineStatus>;
  /** Keychain storage: the admin passphrase. Key-file storage: the key file's passphrase. */
  unlock(p: { readonly passphrase: string }): Promise<EngineStatus>;
  /** A grant session of at most 15 minutes, held only in the engine's memory and the caller's. */
  openGrantSession(p: { readonly passphrase: string; readonly minutes?: number }): Promise<{ readonly session: string; readonly expiresAt: string }>;
  closeGrantSession(p: { readonly session: string }): Promise<{ readonly closed: boolean }>;
  pauseAgents(p: Empty): Promise<EngineStatus>;
  resumeAgents(p: Granted): Promise<EngineStatus>;
  changeAdminPassphrase(p: { readonly current: string; readonly next: string }): Promise<{ readonly changed: true }>;
  /** The master and signing keys sealed under a recovery passphrase (Argon2id), as a printable document. */
  exportRecoveryKit(p: Granted & { readonly kitPassphrase: string }): Promise<{ readonly kit: string }>;

  // ---- vaults ----
  listVaults(p: Empty): Promise<readonly VaultInfo[]>;
  createVault(p: Granted & { readonly vault: VaultInput }): Promise<VaultInfo>;
  /** Raising the approval setting or renaming is a change; lowering it is a grant. All need a person. */
  updateVault(p: Granted & { readonly vaultId: string; readonly changes: Partial<VaultInput> & { readonly approval?: ApprovalSetting } }): Promise<VaultInfo>;
  deleteVault(p: Granted & { readonly vaultId: string }): Promise<{ readonly deleted: true }>;

  // ---- entries ----
  listEntries(p: { readonly vaultId?: string; readonly query?: string }): Promise<readonly EntrySummary[]>;
  /** Reveals values: a person's reveal is audited like an agent's read. */
  getEntry(p: Granted & { readonly vaultId: string; readonly entryId: string; readonly reason?: string }): Promise<Entry>;
  /** `generateSshKey`: the engine makes a new Ed25519 key for an `ssh_key` entry (the private key never leaves it). */
  createEntry(p: Granted & { readonly vaultId: string; readonly entry: EntryInput; readonly generateSshKey?: { readonly comment?: string } }): Promise<EntrySummary>;
  updateEntry(p: Granted & { readonly vaultId: string; readonly entryId: string; readonly changes: Partial<EntryInput> }): Promise<EntrySummary>;
  deleteEntry(p: Granted & { readonly vaultId: string; readonly entryId: string }): Promise<{ readonly deleted: true }>;
  totpCode(p: Granted & { readonly vaultId: string; readonly entryId: string }): Promise<{ readonly code: string; readonly expiresInSeconds: number }>;

  // ---- tokens (valet keys) ----
  /** A grant: returns the one-time enrollment code the agent redeems with its key. */
  createToken(p: Granted & { readonly token: TokenInput }): Promise<CreatedToken>;
  listTokens(p: { readonly status?: 'active' | 'expired' | 'revoked' | 'all' }): Promise<readonly TokenInfo[]>;
  /** Safe: takes effect before it returns; revokes every token exchanged from it too. */
  revokeToken(p: { readonly tokenId: string }): Promise<{ readonly revoked: number }>;
  revokeAllTokens(p: Empty): Promise<{ readonly revoked: number }>;

  // ---- tripwires (canaries, per-token rules, alerts) ----
  /** The newest alerts, each with the same token's audit rows just before and after it. */
  listAlerts(p: { readonly limit?: number }): Promise<readonly AlertInfo[]>;
  /** Safe: the token is refused from its next request on, with token_paused. */
  pauseToken(p: { readonly tokenId: string }): Promise<TokenTripwires>;
  resumeToken(p: Granted & { readonly tokenId: string }): Promise<TokenTripwires>;
  /** Replaces the token's rules as a whole (a grant: fewer or milder rules let an agent do more unnoticed). */
  setTokenRules(p: Granted & { readonly tokenId: string; readonly rules: TokenRules }): Promise<TokenTripwires>;

  // ---- agent-initiated requests (device flow) and approvals ----
  listDeviceRequests(p: { readonly status?: 'pending' | 'all' }): Promise<readonly DeviceRequestInfo[]>;
  /** Approve as asked, approve narrowed (fewer vaults, actions, shorter life), or deny. */
  decideDeviceRequest(
    p: Granted & {
      readonly requestId: string;
      readonly decision: 'approve' | 'deny';
      readonly narrowed?: { readonly vaults?: readonly string[]; readonly actions?: readonly ('read' | 'use')[]; readonly lifespanSeconds?: number };
    },
  ): Promise<DeviceRequestInfo>;
  listApprovals(p: { readonly status?: 'pending' | 'all'; readonly limit?: number }): Promise<readonly ApprovalInfo[]>;
  decideApproval(p: Granted & { readonly approvalId: string; readonly decision: ApprovalDecision; readonly minutes?: number }): Promise<ApprovalInfo>;

  // ---- audit ----
  queryAudit(p: AuditQuery): Promise<AuditPage>;
  verifyAudit(p: Empty): Promise<AuditVerification>;

  // ---- audit out: exports, live sinks, retention ----
  /**
   * A grant: streams an export into a new file at `path` (absolute, on the engine's machine; never
   * overwrites). Writing a file where the caller says is a grant, not a read (docs/security.md).
   */
  exportAudit(p: Granted & AuditExportRequest & { readonly path: string }): Promise<AuditExportSummary>;
  /**
   * The same export, by the same formatter, returned as text for a download (the dashboard's
   * Export buttons). It writes no file, so it only reads the audit log. Past AUDIT_DOWNLOAD_MAX_ROWS
   * rows it fails with `export_too_large`.
   */
  downloadAuditExport(p: AuditExportRequest): Promise<AuditExportDownload>;
  /** Checks a JSON Lines export or retention archive at `path` against the chain and the engine key. */
  verifyAuditExport(p: { readonly path: string }): Promise<AuditExportVerification>;
  /** Sinks with their health: last delivered row, lag, last error. */
  listAuditSinks(p: Empty): Promise<readonly AuditSinkInfo[]>;
  /** A grant: changes where the audit stream goes. The credential is sealed and never returned. */
  addAuditSink(p: Granted & { readonly sink: AuditSinkInput }): Promise<AuditSinkInfo>;
  updateAuditSink(p: Granted & { readonly sinkId: string; readonly changes: AuditSinkChanges }): Promise<AuditSinkInfo>;
  removeAuditSink(p: Granted & { readonly sinkId: string }): Promise<{ readonly removed: true }>;
  /** Sends one test message (not an audit row) to the sink's receiver. */
  testAuditSink(p: { readonly sinkId: string }): Promise<AuditSinkTestResult>;
  getAuditRetention(p: Empty): Promise<AuditRetentionInfo>;
  /** A grant: a shorter retention deletes audit rows (after archiving them). */
  setAuditRetention(p: Granted & AuditRetentionPolicy): Promise<AuditRetentionInfo>;
  /** A grant: archives (signed) and deletes the rows past the policy now. */
  runAuditRetention(p: Granted): Promise<AuditRetentionRun>;

  // ---- headless dashboard ----
  /**
   * A fresh one-time login URL for the browser dashboard (headless mode only). Read class: the
   * browser session it opens can read and make things safer, as the caller's session secret
   * already can; grants from the browser still need the admin passphrase.
   */
  dashboardLoginUrl(p: Empty): Promise<{ readonly url: string; readonly expiresAt: string }>;

  // ---- bring your vaults (import, backup, export) ----
  /** Dry run: reads the file at `path` (on this machine) and says what an import would do; writes nothing. */
  previewImport(p: Granted & ImportRequest): Promise<ImportPreview>;
  /** Imports in one transaction: all of the file's importable items, or nothing. Audited with counts. */
  runImport(p: Granted & ImportRequest): Promise<ImportResult>;
  /** Writes an encrypted `.valetkey` backup of the chosen vaults (secretstream under an Argon2id key). */
  createBackup(p: Granted & BackupRequest): Promise<BackupWritten>;
  /** Restores a `.valetkey` backup as new vaults or merged into one; a truncated or altered file is refused. */
  restoreBackup(p: Granted & RestoreRequest): Promise<RestoreResult>;
  /** Writes the chosen vaults as UNENCRYPTED Bitwarden JSON (0600), for leaving Valetkey. */
  exportBitwarden(p: Granted & PlaintextExportRequest): Promise<PlaintextExportWritten>;
  /**
   * Stages a file for `previewImport`/`runImport({ upload })`: the desktop app's drag and drop
   * sends the dropped file's bytes here (base64, at most 64 MiB decoded). Safe class: it only
   * writes a 0600 temp file that expires in 15 minutes; reading it into a vault is the grant.
   * The browser dashboard uploads raw bytes to `UPLOAD_HTTP.route` instead (JSON bodies are capped at 64 KiB).
   */
  stageUpload(p: { readonly name: string; readonly contentBase64: string }): Promise<StagedUpload>;
}

export type AdminMethod = keyof AdminApi;
export type ParamsOf<M extends AdminMethod> = Parameters<AdminApi[M]>[0];
export type ResultOf<M extends AdminMethod> = Awaited<ReturnType<AdminApi[M]>>;

export type MethodClass = 'read' | 'safe' | 'grant';

/**
 * The runtime description of the contract. `satisfies` makes the compiler insist that every
 * method of `AdminApi` is listed here and nothing else is, so transports built from this table
 * cover the whole contract.
 */
export const ADMIN_METHODS = {
  status: 'read',
  proveEngine: 'read',
  lock: 'safe',
  unlock: 'grant',
  openGrantSession: 'grant',
  closeGrantSession: 'safe',
  pauseAgents: 'safe',
  resumeAgents: 'grant',
  changeAdminPassphrase: 'grant',
  exportRecoveryKit: 'grant',
  listVaults: 'read',
  createVault: 'grant',
  updateVault: 'grant',
  deleteVault: 'grant',
  listEntries: 'read',
  getEntry: 'grant',
  createEntry: 'grant',
  updateEntry: 'grant',
  deleteEntry: 'grant',
  totpCode: 'grant',
  createToken: 'grant',
  listTokens: 'read',
  revokeToken: 'safe',
  revokeAllTokens: 'safe',
  listAlerts: 'read',
  pauseToken: 'safe',
  resumeToken: 'grant',
  setTokenRules: 'grant',
  listDeviceRequests: 'read',
  decideDeviceRequest: 'grant',
  listApprovals: 'read',
  decideApproval: 'grant',
  queryAudit: 'read',
  verifyAudit: 'read',
  exportAudit: 'grant',
  downloadAuditExport: 'read',
  verifyAuditExport: 'read',
  listAuditSinks: 'read',
  addAuditSink: 'grant',
  updateAuditSink: 'grant',
  removeAuditSink: 'grant',
  testAuditSink: 'safe',
  getAuditRetention: 'read',
  setAuditRetention: 'grant',
  runAuditRetention: 'grant',
  dashboardLoginUrl: 'read',
  previewImport: 'grant',
  runImport: 'grant',
  createBackup: 'grant',
  restoreBackup: 'grant',
  exportBitwarden: 'grant',
  stageUpload: 'safe',
} as const satisfies Record<AdminMethod, MethodClass>;

// Compile-time check that the table names no method the interface lacks.
type _NoExtraMethods = Exclude<keyof typeof ADMIN_METHODS, AdminMethod> extends never ? true : never;
export const _adminMethodsExact: _NoExtraMethods = true;

export function isAdminMethod(name: string): name is AdminMethod {
  return Object.hasOwn(ADMIN_METHODS, name);
}

/** What a transport answers, Signal-style: a value or an error, never a thrown string. */
export type AdminResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: WireError };

/**
 * The admin API as the Electron bridge carries it: every method answers an AdminResult and never
 * throws, because ipcRenderer.invoke and contextBridge flatten a thrown error to its message.
 */
export type AdminResultApi = {
  readonly [M in AdminMethod]: (params: Parameters<AdminApi[M]>[0]) => Promise<AdminResult<Awaited<ReturnType<AdminApi[M]>>>>;
};

/** The shape check for a result that crossed a process or a page boundary; its error is checked by unwrapResult. */
export function isAdminResult(value: unknown): value is AdminResult<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { ok?: unknown }).ok === 'boolean';
}

/** The value, or the engine's error rebuilt from its wire form (an unknown code becomes internal_error). */
export function unwrapResult(result: AdminResult<unknown>): unknown {
  if (result.ok) return result.value;
  throw fromWire(result.error);
}

export function failedResult(error: VkError): AdminResult<never> {
  return { ok: false, error: error.toJSON() };
}

/**
 * Who is calling, as the transport knows it. Only the Electron IPC transport, after verifying the
 * sender frame, may set `personPresent` for a click in the app's own window; every other
 * transport leaves it false and grants need the passphrase.
 */
export interface CallContext {
  readonly via: 'in-process' | 'http' | 'socket' | 'ipc';
  readonly personPresent: boolean;
  /** Who is calling, for per-caller limits (a dashboard tab); default: the transport. Never a secret. */
  readonly caller?: string;
}

/** The caller a passphrase failure counts against: one dashboard tab, or one transport. */
export function callerOf(ctx: CallContext): string {
  return ctx.caller ?? ctx.via;
}

/** Paths and headers of the HTTP and socket transports, derived here so no side types them. */
export const ADMIN_HTTP = {
  prefix: '/admin/v1/',
  events: '/admin/v1/events',
  sessionHeader: 'x-valetkey-session',
} as const;

/**
 * The browser dashboard's per-tab secret: delivered once in the login redirect's fragment, kept
 * in the tab's sessionStorage and sent in this header on every call. Browsers send cookies to
 * every loopback port; a header only the tab's own scripts set reaches no one else.
 */
export const DASHBOARD_HTTP = {
  tabHeader: 'x-valetkey-tab',
  /** The login redirect goes to `/#<fragmentKey>=<secret>`. */
  fragmentKey: 'vk-tab',
} as const;

/** The headless dashboard's upload route: raw bytes (application/octet-stream), the file name percent-encoded in a header. */
export const UPLOAD_HTTP = {
  route: '/dashboard/upload',
  nameHeader: 'x-valetkey-filename',
} as const;

/**
 * What the engine hands to every transport: one generic entry point (the engine checks the method
 * against ADMIN_METHODS and the params' shape) and a way to follow its events. Transports are
 * generated around these two, never written per method.
 */
export type AdminDispatcher = (method: AdminMethod, params: unknown, ctx: CallContext) => Promise<unknown>;
/** Subscribe to engine events; the returned function unsubscribes. */
export type AdminEventSource = (listener: (e: AdminEvent) => void) => () => void;

/**
 * Electron IPC channel names of the admin API, derived here because both the main process and
 * the sandboxed preload need them and neither may import the other.
 */
export const ADMIN_IPC = {
  prefix: 'valetkey:admin:',
  events: 'valetkey:event',
} as const;

export function adminChannel(method: AdminMethod): string {
  return ADMIN_IPC.prefix + method;
}
