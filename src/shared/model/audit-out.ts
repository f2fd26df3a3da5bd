/** Audit out: exports, live sinks to a SIEM, retention. */
import type { AuditQuery } from '../model.js';

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
  /** The last row the signed audit head covered when the export was written (0: none). */
  readonly signedThrough: number;
  /** Exported rows after the signed head: in the chain, but not yet provable. */
  readonly unsignedTail?: { readonly from: number; readonly to: number };
  readonly path?: string;
}

/** The most rows the dashboard downloads in one answer; larger exports go to a file (`valetkey audit export`). */
export const AUDIT_DOWNLOAD_MAX_ROWS = 50_000;

/** An export returned as text for a browser download, with the range it covers. */
export interface AuditExportDownload extends AuditExportSummary {
  readonly content: string;
  readonly contentType: string;
  readonly fileName: string;
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

