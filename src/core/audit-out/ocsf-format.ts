/**
 * OCSF 1.3 events, one JSON object per line. Token, approval, device-flow and unlock events are
 * Authentication (class 3002, category IAM); everything else, secret access first of all, is API
 * Activity (class 6003, category Application Activity). The whole Valetkey row, with its seq and
 * chain hash, rides along in `unmapped.valetkey`, so nothing is lost in the mapping.
 */
import { isAlertRow, type AuditOutcome, type AuditRow } from '../../shared/model.js';
import { rowRecord, type ExportedRow } from './export-row.js';
import { lineSafeJson } from '../../shared/line-safe.js';

export const OCSF_VERSION = '1.3.0';

const AUTH_PREFIXES = ['token.', 'approval.', 'device.', 'grant_session.', 'admin.', 'admin_passphrase.', 'engine.unlock', 'engine.lock'] as const;

interface Activity {
  readonly id: number;
  readonly name: string;
}

const OTHER: Activity = { id: 99, name: 'Other' };

export function isAuthenticationEvent(action: string): boolean {
  return AUTH_PREFIXES.some((p) => action === p || action.startsWith(p));
}

/** Authentication activities: 1 Logon, 2 Logoff, 3 Authentication Ticket, 4 Service Ticket Request. */
function authActivity(action: string): Activity {
  if (/^(engine\.unlock|grant_session\.open)$/.test(action)) return { id: 1, name: 'Logon' };
  if (/^(engine\.lock|grant_session\.close|token\.(revoke|self_revoke|revoke_all))$/.test(action)) return { id: 2, name: 'Logoff' };
  if (/^(token\.(issue|create|enroll|exchange)|device\.redeem)$/.test(action)) return { id: 3, name: 'Authentication Ticket' };
  if (/^(token|device)\.request$/.test(action)) return { id: 4, name: 'Service Ticket Request' };
  return OTHER;
}

/** API activities: 1 Create, 2 Read, 3 Update, 4 Delete. Secret reads, reveals and uses are reads. */
function apiActivity(action: string): Activity {
  const verb = action.slice(action.lastIndexOf('.') + 1);
  if (action.startsWith('secret.') || ['read', 'reveal', 'list', 'totp', 'use', 'fetch', 'get'].includes(verb)) return { id: 2, name: 'Read' };
  if (['create', 'add', 'start', 'init'].includes(verb)) return { id: 1, name: 'Create' };
  if (['update', 'change', 'set'].includes(verb)) return { id: 3, name: 'Update' };
  if (['delete', 'remove', 'rm'].includes(verb)) return { id: 4, name: 'Delete' };
  return OTHER;
}

const SEVERITY: Readonly<Record<AuditOutcome, readonly [number, string]>> = {
  ok: [1, 'Informational'],
  allowed: [1, 'Informational'],
  refused: [3, 'Medium'],
  error: [4, 'High'],
};
/** Tripwire alerts (`alert.*`) are high whatever their outcome: a person should look now. */
const ALERT_SEVERITY: readonly [number, string] = [4, 'High'];

function common(row: AuditRow, engineVersion: string): Record<string, unknown> {
  const success = row.outcome === 'ok' || row.outcome === 'allowed';
  const [severityId, severity] = isAlertRow(row) ? ALERT_SEVERITY : SEVERITY[row.outcome];
  return {
    time: row.ts,
    severity_id: severityId,
    severity,
    status_id: success ? 1 : 2,
    status: success ? 'Success' : 'Failure',
    ...(row.errorCode !== null ? { status_code: row.errorCode } : {}),
    message: `${row.action} ${row.outcome}`,
    metadata: {
      version: OCSF_VERSION,
      product: { name: 'Valetkey', vendor_name: 'Valetkey', version: engineVersion },
      uid: String(row.seq),
      sequence: row.seq,
      log_name: 'valetkey-audit',
      original_time: new Date(row.ts).toISOString(),
    },
  };
}

function who(row: AuditRow): Record<string, unknown> {
  return { name: row.agent ?? row.actor, type: row.actor, ...(row.keyThumbprint !== null ? { uid: row.keyThumbprint } : {}) };
}

export function ocsfEvent(exported: ExportedRow, engineVersion: string): Record<string, unknown> {
  const { row } = exported;
  const unmapped = { valetkey: rowRecord(row, exported.checkpoint) };
  if (isAuthenticationEvent(row.action)) {
    const activity = authActivity(row.action);
    return {
      class_uid: 3002, class_name: 'Authentication', category_uid: 3, category_name: 'Identity & Access Management',
      activity_id: activity.id, activity_name: activity.name, type_uid: 300200 + activity.id,
      ...common(row, engineVersion),
      user: who(row),
      ...(row.tokenId !== null ? { session: { uid: row.tokenId } } : {}),
      unmapped,
    };
  }
  const activity = apiActivity(row.action);
  const resources = [
    ...(row.vaultId !== null ? [{ type: 'vault', uid: row.vaultId }] : []),
    ...(row.entryId !== null ? [{ type: 'entry', uid: row.entryId, ...(row.field !== null ? { data: { field: row.field } } : {}) }] : []),
  ];
  return {
    class_uid: 6003, class_name: 'API Activity', category_uid: 6, category_name: 'Application Activity',
    activity_id: activity.id, activity_name: activity.name, type_uid: 600300 + activity.id,
    ...common(row, engineVersion),
    actor: { user: who(row), ...(row.tokenId !== null ? { session: { uid: row.tokenId } } : {}) },
    api: { operation: row.action, request: { uid: String(row.seq) } },
    src_endpoint: { hostname: 'localhost' },
    ...(resources.length > 0 ? { resources } : {}),
    unmapped,
  };
}

export function ocsfRow(exported: ExportedRow, engineVersion: string): string {
  return `${lineSafeJson(ocsfEvent(exported, engineVersion))}\n`;
}
