/** Plain data shapes shared by the engine, its transports, the CLI and the dashboards. */

export const APPROVAL_MODES = ['none', 'every_access', 'once_per_token'] as const;
export type ApprovalMode = (typeof APPROVAL_MODES)[number];

/** How a vault asks the person before a secret leaves. `minutes` only for `once_per_token`. */
export interface ApprovalSetting {
  readonly mode: ApprovalMode;
  readonly minutes?: number;
}

export interface VaultInfo {
  readonly id: string;
  readonly name: string;
  readonly icon: string;
  readonly colour: string;
  readonly approval: ApprovalSetting;
  readonly entryCount: number;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface VaultInput {
  readonly name: string;
  readonly icon?: string;
  readonly colour?: string;
  readonly approval?: ApprovalSetting;
}

export const ENTRY_KINDS = ['login', 'api_key', 'note'] as const;
export type EntryKind = (typeof ENTRY_KINDS)[number];

export interface CustomField {
  readonly name: string;
  readonly value: string;
  readonly hidden: boolean;
}

/**
 * An entry's secret-bearing fields. Which ones apply depends on the kind: a login has
 * username/password/urls/totp, an API key has `apiKey`, a note only `notes`. Every entry may have
 * custom fields and notes. All of it is sealed at rest.
 */
export interface EntryFields {
  readonly username?: string;
  readonly password?: string;
  readonly urls?: readonly string[];
  /** Base32 TOTP secret or an `otpauth://totp/...` URI. */
  readonly totp?: string;
  readonly apiKey?: string;
  readonly notes?: string;
  readonly custom?: readonly CustomField[];
}

export interface EntryInput {
  readonly title: string;
  readonly kind: EntryKind;
  readonly fields: EntryFields;
  /** Hosts `/v1/fetch` may send this entry's values to (issue: use without exposure). */
  readonly allowedHosts?: readonly string[];
}

/** What listing shows: never a secret value. */
export interface EntrySummary {
  readonly id: string;
  readonly vaultId: string;
  readonly title: string;
  readonly kind: EntryKind;
  readonly version: number;
  /** Names of the fields that are set, e.g. ["username", "password", "custom:Region"]. */
  readonly fieldNames: readonly string[];
  readonly hasTotp: boolean;
  readonly allowedHosts: readonly string[];
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface Entry extends EntrySummary {
  readonly fields: EntryFields;
}

export type KeyStorageKind = 'keychain' | 'key_file';

export interface EngineStatus {
  readonly version: string;
  readonly initialized: boolean;
  readonly locked: boolean;
  readonly agentsPaused: boolean;
  readonly keyStorage: KeyStorageKind;
  readonly dataDir: string;
  /** Where agents connect, while the agent endpoint runs. */
  readonly agentEndpoint?: AgentEndpointInfo;
}

export const AUDIT_OUTCOMES = ['allowed', 'refused', 'ok', 'error'] as const;
export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number];

export const ACTOR_KINDS = ['agent', 'person', 'engine'] as const;
export type ActorKind = (typeof ACTOR_KINDS)[number];

/** One audit row as stored and chained. Never carries a secret value or a whole token. */
export interface AuditRow {
  readonly seq: number;
  /** Milliseconds since the epoch. */
  readonly ts: number;
  readonly actor: ActorKind;
  readonly agent: string | null;
  readonly tokenId: string | null;
  readonly keyThumbprint: string | null;
  readonly action: string;
  readonly vaultId: string | null;
  readonly entryId: string | null;
  readonly field: string | null;
  readonly reason: string | null;
  readonly outcome: AuditOutcome;
  readonly errorCode: string | null;
  readonly approvalId: string | null;
  /** Small JSON object with extra non-secret context (counts, user codes, source). */
  readonly detail: Readonly<Record<string, unknown>> | null;
  /** Hex SHA-256 chain hash of this row. */
  readonly hash: string;
}

/** What the engine passes to the ledger; seq, ts and hash are assigned there. */
export type AuditRecord = Omit<AuditRow, 'seq' | 'ts' | 'hash' | 'agent' | 'tokenId' | 'keyThumbprint' | 'vaultId' | 'entryId' | 'field' | 'reason' | 'errorCode' | 'approvalId' | 'detail'> &
  Partial<Pick<AuditRow, 'agent' | 'tokenId' | 'keyThumbprint' | 'vaultId' | 'entryId' | 'field' | 'reason' | 'errorCode' | 'approvalId' | 'detail'>>;

export interface AuditQuery {
  readonly agent?: string;
  readonly tokenId?: string;
  readonly vaultId?: string;
  readonly action?: string;
  readonly outcome?: AuditOutcome;
  readonly actor?: ActorKind;
  /** Inclusive lower bound, ms since the epoch. */
  readonly since?: number;
  /** Exclusive upper bound, ms since the epoch. */
  readonly until?: number;
  /** Substring searched in reasons (case-insensitive). */
  readonly reasonContains?: string;
  /** Page backwards from this seq (exclusive); newest first. */
  readonly beforeSeq?: number;
  /** 1..500, default 50. */
  readonly limit?: number;
}

export interface AuditPage {
  readonly rows: readonly AuditRow[];
  /** Pass as `beforeSeq` to get the next (older) page; absent on the last page. */
  readonly nextBeforeSeq?: number;
}

export interface AuditVerification {
  readonly ok: boolean;
  readonly rowsChecked: number;
  readonly checkpointsChecked: number;
  readonly lastSeq: number;
  /** The first row whose stored hash does not match, or whose checkpoint signature fails. */
  readonly firstBadSeq?: number;
  readonly problem?: string;
  /** Set once retention archived older rows: the signed anchor (last archived row) the check started from. */
  readonly anchorSeq?: number;
}

/** Events the engine pushes to subscribers (dashboards, tray, CLI tail). */
export type AdminEvent =
  | { readonly type: 'audit.appended'; readonly rows: readonly AuditRow[] }
  | { readonly type: 'lock.changed'; readonly locked: boolean }
  | { readonly type: 'agents.paused'; readonly paused: boolean }
  | { readonly type: 'vaults.changed' }
  | { readonly type: 'tokens.changed' }
  | { readonly type: 'approval.requested'; readonly approval: ApprovalInfo }
  | { readonly type: 'approval.decided'; readonly approval: ApprovalInfo }
  | { readonly type: 'device.requested'; readonly request: DeviceRequestInfo }
  | { readonly type: 'device.decided'; readonly request: DeviceRequestInfo };

export type AdminEventType = AdminEvent['type'];

// ---------------------------------------------------------------------------------------------
// Agent access: valet-key tokens, agent-initiated (device) requests, approvals.

export const TOKEN_ACTIONS = ['read', 'use'] as const;
export type TokenAction = (typeof TOKEN_ACTIONS)[number];
export type TokenBinding = 'dpop' | 'bearer';
export type TokenOrigin = 'app' | 'device' | 'exchange';
export type TokenStatus = 'pending_enrollment' | 'active' | 'expired' | 'revoked';

export const MIN_LIFESPAN_SECONDS = 5 * 60;
export const MAX_LIFESPAN_SECONDS = 365 * 24 * 3600;
export const LIFESPAN_PRESETS = { '1h': 3600, '1d': 86_400, '7d': 7 * 86_400, '30d': 30 * 86_400, '1y': 365 * 86_400 } as const;

/** `vault`: follow each vault's own setting. Otherwise this token is held to the given setting (never looser than the vault's). */
export type TokenApproval = 'vault' | ApprovalSetting;

export interface TokenInput {
  /** The agent's name: becomes `sub` and `client_id`. 1..100 characters. */
  readonly name: string;
  /** Vault ids or names. */
  readonly vaults: readonly string[];
  readonly actions: readonly TokenAction[];
  /** Narrow to these entries (ids or titles) inside the chosen vaults. */
  readonly entries?: readonly { readonly vault: string; readonly entry: string }[];
  readonly lifespanSeconds: number;
  readonly approval?: TokenApproval;
  readonly maxUses?: number;
  readonly requestsPerMinute?: number;
  /** Default `dpop`. `bearer` is an explicit, labelled opt-in for plain scripts. */
  readonly binding?: TokenBinding;
}

export interface TokenInfo {
  readonly id: string;
  readonly name: string;
  readonly origin: TokenOrigin;
  /** Canonical scope string with vault (and entry) ids, as in the access token. */
  readonly scope: string;
  readonly vaultIds: readonly string[];
  readonly actions: readonly TokenAction[];
  readonly binding: TokenBinding;
  readonly approval: TokenApproval;
  readonly maxUses: number | null;
  readonly requestsPerMinute: number | null;
  readonly uses: number;
  readonly status: TokenStatus;
  readonly createdAt: string;
  readonly expiresAt: string;
  readonly revokedAt: string | null;
  readonly lastUsedAt: string | null;
  readonly enrolledAt: string | null;
  /** RFC 7638 thumbprint of the agent's key, once enrolled (DPoP). */
  readonly keyThumbprint: string | null;
  readonly parentId: string | null;
  /** Names along the exchange chain, outermost first (RFC 8693 `act`). */
  readonly actors: readonly string[];
}

export interface CreatedToken {
  readonly token: TokenInfo;
  /** Shown once; stored only as a hash; single use; 15 minutes. */
  readonly enrollmentCode: string;
  readonly enrollmentExpiresAt: string;
}

export type DeviceRequestStatus = 'pending' | 'approved' | 'denied' | 'expired' | 'redeemed';

export interface DeviceRequestInfo {
  readonly id: string;
  /** `XXXX-XXXX`, to compare with what the agent printed. */
  readonly userCode: string;
  /** Claimed by the agent, not verified. */
  readonly clientName: string;
  readonly keyThumbprint: string;
  readonly requestedScope: string;
  /** The requested vaults as the agent named them, with the id and name they resolve to now (null if unknown). */
  readonly vaults: readonly { readonly ref: string; readonly id: string | null; readonly name: string | null }[];
  readonly actions: readonly TokenAction[];
  readonly lifespanSeconds: number;
  readonly reason: string;
  readonly status: DeviceRequestStatus;
  readonly createdAt: string;
  readonly expiresAt: string;
  readonly tokenId: string | null;
  /** Once approved: the scope granted (vault and entry ids; narrower than asked when the person narrowed it). */
  readonly grantedScope?: string;
  /** Once approved: the lifespan granted, at most `lifespanSeconds`. */
  readonly grantedLifespanSeconds?: number;
}

export type ApprovalStatus = 'pending' | 'allowed' | 'denied' | 'timed_out';
export type ApprovalDecision = 'allow_once' | 'allow_for' | 'deny';

/** Everything a prompt must show (DESIGN §4). */
export interface ApprovalInfo {
  readonly id: string;
  readonly tokenId: string;
  readonly tokenName: string;
  /** Claimed agent name. */
  readonly agent: string;
  readonly keyThumbprint: string | null;
  readonly vaultId: string;
  readonly vaultName: string | null;
  readonly entryId: string | null;
  readonly entryTitle: string | null;
  readonly field: string | null;
  readonly action: TokenAction;
  readonly reason: string | null;
  readonly status: ApprovalStatus;
  readonly decision: ApprovalDecision | null;
  /** For `allow_for`. */
  readonly minutes: number | null;
  readonly createdAt: string;
  readonly expiresAt: string;
  readonly decidedAt: string | null;
}

export interface AgentEndpointInfo {
  /** `http://127.0.0.1:PORT` */
  readonly url: string;
  readonly socketPath: string;
}

// ---------------------------------------------------------------------------------------------
// Bring your vaults: import, encrypted backup and restore, plaintext export (issue 7).

export const IMPORT_FORMATS = ['bitwarden_json', '1password_1pux', '1password_csv', 'keepass_xml', 'kdbx', 'proton_pass', 'chrome_csv', 'firefox_csv'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

/**
 * What to import and where: exactly one of `path` (absolute, on the engine's machine; the engine
 * reads it itself) and `upload` (a file staged by `stageUpload` or the dashboard's upload route;
 * the browser dashboard accepts only this).
 */
export interface ImportRequest {
  readonly path?: string;
  readonly upload?: string;
  /** Detected from the content when absent. */
  readonly format?: ImportFormat;
  /** An existing vault (id or name), or… */
  readonly vault?: string;
  /** …a vault created by the import, in the same transaction. */
  readonly newVaultName?: string;
  /** The KeePass database's password (KDBX files only). */
  readonly kdbxPassword?: string;
  /** Import items that look like entries already in the vault (default: skip them). */
  readonly keepDuplicates?: boolean;
}

/** One item the preview talks about: where it is in the file ("item 12", "line 40"), its title, why. */
export interface ImportItemNote {
  readonly where: string;
  readonly title: string;
  readonly reason: string;
}

/** The dry run: nothing has been written. Lists are capped; the counts are not. */
export interface ImportPreview {
  readonly file: string;
  readonly format: ImportFormat;
  readonly target: { readonly vaultId: string | null; readonly vaultName: string; readonly isNew: boolean };
  readonly itemsInFile: number;
  /** Entries the import would write now. */
  readonly toImport: number;
  readonly byKind: Readonly<Record<EntryKind, number>>;
  /** Same title, username and first URL as an entry already in the target vault. */
  readonly duplicateCount: number;
  readonly duplicates: readonly ImportItemNote[];
  readonly skippedCount: number;
  readonly skipped: readonly ImportItemNote[];
  /** Parts of imported items that could not be mapped (attachments, passkeys…), with the reason. */
  readonly notMappedCount: number;
  readonly notMapped: readonly ImportItemNote[];
  /** Things true of the whole file ("folders are not kept"). */
  readonly general: readonly string[];
}

export interface ImportResult {
  readonly vault: VaultInfo;
  readonly format: ImportFormat;
  readonly imported: number;
  readonly byKind: Readonly<Record<EntryKind, number>>;
  readonly duplicatesSkipped: number;
  readonly skipped: number;
  readonly notMapped: number;
}

export interface BackupRequest {
  /** Vault ids or names. */
  readonly vaults: readonly string[];
  /** Absolute path of the `.valetkey` file to write (0600; never replaced unless `force`). */
  readonly path: string;
  /** Seals the backup (Argon2id); at least 10 characters. */
  readonly passphrase: string;
  readonly force?: boolean;
}

export interface BackupWritten {
  readonly path: string;
  readonly vaults: number;
  readonly entries: number;
  readonly bytes: number;
}

/** Restore as new vaults under their own names (default), as one new vault, or merged into one. */
export interface RestoreRequest {
  readonly path: string;
  readonly passphrase: string;
  readonly asNew?: string;
  readonly mergeInto?: string;
  readonly keepDuplicates?: boolean;
}

export interface RestoredVault {
  readonly vaultId: string;
  readonly name: string;
  readonly created: boolean;
  readonly restored: number;
  readonly duplicatesSkipped: number;
}

export interface RestoreResult {
  readonly vaults: readonly RestoredVault[];
}

/** Unencrypted Bitwarden JSON, for leaving Valetkey. `acknowledgePlaintext` must be true. */
export interface PlaintextExportRequest {
  readonly vaults: readonly string[];
  readonly path: string;
  readonly acknowledgePlaintext: boolean;
  readonly force?: boolean;
}

export interface PlaintextExportWritten {
  readonly path: string;
  readonly vaults: number;
  readonly items: number;
}

// ---------------------------------------------------------------------------------------------
// Audit out (issue 6): exports, live sinks to a SIEM, retention.

export const AUDIT_EXPORT_FORMATS = ['csv', 'jsonl', 'cef', 'ocsf'] as const;
export type AuditExportFormat = (typeof AUDIT_EXPORT_FORMATS)[number];

/** The Activity page's filters, without paging. */
export type AuditExportFilter = Omit<AuditQuery, 'beforeSeq' | 'limit'>;

/**
 * Which rows an export holds. `since`/`until` pick a seq range (first row at or after `since` to
 * the last before `until`), so a time-bounded export is still a contiguous piece of the chain;
 * any other filter makes it non-contiguous (each row then checks against the ledger alone).
 */
export interface AuditExportRequest {
  readonly format: AuditExportFormat;
  readonly fromSeq?: number;
  readonly toSeq?: number;
  readonly filter?: AuditExportFilter;
}

/** Says which range of the chain an export covers (the JSON Lines header carries the same). */
export interface AuditExportSummary {
  readonly format: AuditExportFormat;
  readonly rows: number;
  readonly fromSeq: number;
  readonly toSeq: number;
  /** Chain hash of row fromSeq - 1 (the anchor after retention; 64 zeros at the start). */
  readonly prevHash: string;
  /** Chain hash of row toSeq; null when the range is empty. */
  readonly lastHash: string | null;
  readonly contiguous: boolean;
  readonly path?: string;
}

export interface AuditExportVerification {
  readonly ok: boolean;
  readonly rowsChecked: number;
  readonly fromSeq: number;
  readonly toSeq: number;
  readonly contiguous: boolean;
  readonly checkpointsChecked: number;
  /** Rows found in the ledger with the same hash. */
  readonly rowsMatchedLedger: number;
  /** Rows no longer in the ledger (archived by retention), checked by the chain and signatures alone. */
  readonly rowsArchived: number;
  /** The `.sig` file next to an archive: `absent` for a plain export. */
  readonly archiveSignature: 'valid' | 'invalid' | 'absent';
  /** Key that signed the checkpoints and archive (RFC 7638 thumbprint). */
  readonly keyId?: string;
  readonly firstBadSeq?: number;
  readonly problem?: string;
}

export const AUDIT_SINK_KINDS = ['syslog', 'splunk_hec', 'webhook'] as const;
export type AuditSinkKind = (typeof AUDIT_SINK_KINDS)[number];
export const SYSLOG_TRANSPORTS = ['tcp', 'tls', 'udp'] as const;
export type SyslogTransport = (typeof SYSLOG_TRANSPORTS)[number];

/** RFC 5424 over TCP (RFC 6587 octet counting), TLS (RFC 5425) or UDP (RFC 5426). */
export interface SyslogSinkConfig {
  readonly kind: 'syslog';
  readonly transport: SyslogTransport;
  readonly host: string;
  readonly port: number;
  /** RFC 5424 facility number, 0..23; default 13 (log audit). */
  readonly facility?: number;
  /** PEM of the CA that signed the receiver's certificate (TLS); default: the system's CAs. */
  readonly caPem?: string;
}

/** Splunk HTTP Event Collector: POST {url}/services/collector/event, `Authorization: Splunk <token>`. */
export interface SplunkHecSinkConfig {
  readonly kind: 'splunk_hec';
  /** Base URL, e.g. https://splunk.example:8088 */
  readonly url: string;
  readonly index?: string;
  readonly sourcetype?: string;
  /** Rows per request, 1..1000; default 100. */
  readonly batchSize?: number;
  readonly caPem?: string;
}

/** POSTs JSON batches, signed with HMAC-SHA256 (see src/core/audit-out/README.md). */
export interface WebhookSinkConfig {
  readonly kind: 'webhook';
  readonly url: string;
  readonly batchSize?: number;
  readonly caPem?: string;
}

export type AuditSinkConfig = SyslogSinkConfig | SplunkHecSinkConfig | WebhookSinkConfig;

export interface AuditSinkInput {
  /** 1..64 characters; unique. */
  readonly name: string;
  readonly config: AuditSinkConfig;
  /** HEC token or webhook HMAC key: required for those kinds, stored sealed, never returned. */
  readonly credential?: string;
  /** `now` (default): rows from now on. `oldest`: every row still in the ledger. */
  readonly startAt?: 'now' | 'oldest';
  readonly enabled?: boolean;
}

export interface AuditSinkChanges {
  readonly name?: string;
  readonly config?: AuditSinkConfig;
  readonly credential?: string;
  readonly enabled?: boolean;
}

export type AuditSinkState = 'ok' | 'retrying' | 'paused_locked' | 'disabled';

export interface AuditSinkHealth {
  readonly state: AuditSinkState;
  /** Last row the receiver surely has (the persistent cursor). */
  readonly lastDeliveredSeq: number;
  readonly lastDeliveredAt: string | null;
  /** Rows written to the ledger and not yet delivered. */
  readonly lag: number;
  readonly lastError: string | null;
  readonly lastErrorAt: string | null;
}

export interface AuditSinkInfo {
  readonly id: string;
  readonly name: string;
  readonly kind: AuditSinkKind;
  readonly config: AuditSinkConfig;
  readonly enabled: boolean;
  readonly hasCredential: boolean;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly health: AuditSinkHealth;
}

export interface AuditSinkTestResult {
  readonly ok: boolean;
  readonly milliseconds: number;
  readonly error?: string;
}

/** Keep rows newer than keepDays and/or the newest keepRows; with both, a row goes only when both allow it. */
export interface AuditRetentionPolicy {
  readonly keepDays: number | null;
  readonly keepRows: number | null;
}

export interface AuditArchiveInfo {
  /** File name inside `archiveDir`; its signature is the same name plus `.sig`. */
  readonly file: string;
  readonly fromSeq: number;
  readonly toSeq: number;
  readonly sha256: string;
  readonly createdAt: string;
}

export interface AuditRetentionInfo extends AuditRetentionPolicy {
  readonly archiveDir: string;
  /** The last archived row: the verifier starts after it. */
  readonly anchor: { readonly seq: number; readonly hash: string; readonly at: string } | null;
  readonly archives: readonly AuditArchiveInfo[];
}

export interface AuditRetentionRun {
  readonly deleted: number;
  readonly archive: AuditArchiveInfo | null;
  readonly anchorSeq: number | null;
  /** Why nothing was deleted, when nothing was. */
  readonly note?: string;
}

// ---------------------------------------------------------------------------------------------
// Use without exposure: POST /v1/fetch (issue 5).

/** The HTTP request an agent asks the engine to send, with `{{vk://vault/entry/field}}` placeholders. */
export interface FetchRequestInput {
  /** GET (default), HEAD, POST, PUT, PATCH, DELETE or OPTIONS. */
  readonly method?: string;
  /** https://host/path?query (http only to loopback); placeholders only in the path and query. */
  readonly url: string;
  readonly headers?: Readonly<Record<string, string>>;
  /** A string is sent as is; an object or array is sent as JSON, placeholders JSON-escaped. */
  readonly body?: string | Readonly<Record<string, unknown>> | readonly unknown[];
}

/** The target's answer, every substituted value (and its encoded forms) replaced by `[REDACTED:vk://…]`. */
export interface FetchAnswer {
  readonly status: number;
  readonly statusText: string;
  readonly headers: Readonly<Record<string, string | readonly string[]>>;
  /** UTF-8 text, or base64 when the body is not valid UTF-8. */
  readonly body: string;
  readonly bodyEncoding: 'utf8' | 'base64';
  /** How many occurrences were replaced, in headers and body. */
  readonly redactions: number;
}

// ---------------------------------------------------------------------------------------------
// Import by drag and drop (issue 7): files staged in the engine's data directory.

/** Staged uploads: at most 64 MiB each, gone 15 minutes after staging or once imported. */
export const UPLOAD_LIMITS = {
  maxBytes: 64 * 1024 * 1024,
  ttlMs: 15 * 60_000,
} as const;

/** A file the engine holds for an import; `uploadId` is its only name (256 random bits). */
export interface StagedUpload {
  readonly uploadId: string;
  /** The original file name, as a display name only (never a path). */
  readonly name: string;
  readonly bytes: number;
  readonly expiresAt: string;
}
