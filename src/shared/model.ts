/** Plain data shapes shared by the engine, its transports, the CLI and the dashboards. */
import type { AgentEndpointInfo, ApprovalInfo, DeviceRequestInfo } from './model/agent-access.js';
import type { CanarySetting } from './model/tripwires.js';

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

export const ENTRY_KINDS = ['login', 'api_key', 'note', 'ssh_key'] as const;
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
  /** An `ssh_key` entry's private key (OpenSSH or PEM text); no `vk://` reference reaches it: only the engine signs. */
  readonly sshPrivateKey?: string;
  /** Derived from `sshPrivateKey` when the entry is saved: the `ssh-… AAAA…` line to copy. */
  readonly sshPublicKey?: string;
  readonly notes?: string;
  readonly custom?: readonly CustomField[];
}

/**
 * How the HTTPS proxy puts the secret into requests to the entry's allowed hosts (docs/security.md §12):
 * a header line with `{value}`, a query parameter, or HTTP basic auth (the entry's username, the
 * secret as the password).
 */
export type EntryInjection = { readonly header: string } | { readonly query: string } | { readonly basic: true };

export interface EntryInput {
  readonly title: string;
  readonly kind: EntryKind;
  readonly fields: EntryFields;
  /** Hosts `/v1/fetch` may send this entry's values to (issue: use without exposure). */
  readonly allowedHosts?: readonly string[];
  /** For `valetkey proxy`: a header line with `{value}`, a query parameter name, or basic auth; for every allowed host without its own. `null` in an update removes it. */
  readonly injection?: EntryInjection | null;
  /** Per allowed host (as listed in allowedHosts), how the secret goes in; wins over `injection` for that host. Replaced as a whole; `null` or `{}` in an update removes them all. */
  readonly injectionByHost?: Readonly<Record<string, EntryInjection>> | null;
  /** Marks the entry a canary (any agent touching it trips it); `null` in an update clears the mark. */
  readonly canary?: CanarySetting | null;
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
  readonly injection?: EntryInjection;
  /** An `ssh_key` entry's public key line (`ssh-ed25519 AAAA… comment`): not secret, shown to copy. */
  readonly sshPublicKey?: string;
  readonly injectionByHost?: Readonly<Record<string, EntryInjection>>;
  /** Present only on canaries, and only in the person's views: agents see the same shape as any entry. */
  readonly canary?: CanarySetting;
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
  /** Granting rows changed outside Valetkey since the engine started (they grant nothing); shown as a banner. */
  readonly tampered?: readonly TamperedRecord[];
}

/** A row whose MAC failed (docs/security.md): which table, which row, when it was noticed. */
export interface TamperedRecord {
  readonly table: string;
  readonly rowId: string;
  readonly detectedAt: number;
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
  /** The last row the signed head covers (0: none). Rows after it are the unsigned tail. */
  readonly signedThrough: number;
  /** Rows written since the head was last signed (or while no key was loaded): checked, but not yet provable. */
  readonly unsignedTail?: { readonly from: number; readonly to: number };
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
  | { readonly type: 'device.decided'; readonly request: DeviceRequestInfo }
  /** A request made without a key was bound by the agent's first proven poll: prompts show its key now. */
  | { readonly type: 'device.bound'; readonly request: DeviceRequestInfo };

export type AdminEventType = AdminEvent['type'];

export * from './model/agent-access.js';
export * from './model/import-backup.js';
export * from './model/audit-out.js';
export * from './model/fetch.js';
export * from './model/uploads.js';
export * from './model/tripwires.js';
