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
