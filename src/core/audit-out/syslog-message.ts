/**
 * RFC 5424 messages for audit rows, and RFC 6587 octet-counting frames for TCP and TLS:
 *   <PRI>1 TIMESTAMP HOSTNAME valetkey PROCID ACTION [valetkey@32473 seq="N" outcome="…" actor="…"] {row as JSON}
 * PRI = facility × 8 + severity (tripwire alerts: alert; refused: warning; error: error; else
 * informational). The structured data carries the seq so a receiver can drop duplicates without
 * parsing the JSON.
 * 32473 is the enterprise number RFC 5612 reserves for documentation and examples.
 */
import { hostname } from 'node:os';
import { isAlertRow, type AuditOutcome, type AuditRow } from '../../shared/model.js';
import { rowRecord } from './export-row.js';
import { lineSafeJson, lineSafeText } from '../../shared/line-safe.js';

export const SD_ID = 'valetkey@32473';
export const APP_NAME = 'valetkey';

const SEVERITY: Readonly<Record<AuditOutcome, number>> = { ok: 6, allowed: 6, refused: 4, error: 3 };
/** RFC 5424 severity 1, "alert: action must be taken immediately". */
const ALERT_SEVERITY = 1;

export interface SyslogIdentity {
  readonly facility: number;
  readonly hostname: string;
  readonly procId: string;
}

export function localIdentity(facility: number): SyslogIdentity {
  return { facility, hostname: printable(hostname(), 255), procId: String(process.pid) };
}

/** PRINTUSASCII only (RFC 5424 §6); anything else becomes '-'. */
function printable(text: string, max: number): string {
  const clean = text.replace(/[^\x21-\x7e]/g, '-').slice(0, max);
  return clean === '' ? '-' : clean;
}

/** SD-PARAM values escape '"', '\' and ']' (RFC 5424 §6.3.3). */
function paramValue(text: string): string {
  return lineSafeText(text).replace(/[\\"\]]/g, (c) => `\\${c}`);
}

export function syslogMessage(row: AuditRow, id: SyslogIdentity): string {
  const pri = id.facility * 8 + (isAlertRow(row) ? ALERT_SEVERITY : SEVERITY[row.outcome]);
  const sd = `[${SD_ID} seq="${row.seq}" outcome="${paramValue(row.outcome)}" actor="${paramValue(row.actor)}"]`;
  const head = `<${pri}>1 ${new Date(row.ts).toISOString()} ${id.hostname} ${APP_NAME} ${id.procId} ${printable(row.action, 32)}`;
  return `${head} ${sd} ${lineSafeJson(rowRecord(row))}`;
}

export function syslogTestMessage(id: SyslogIdentity, now: number): string {
  return `<${id.facility * 8 + 6}>1 ${new Date(now).toISOString()} ${id.hostname} ${APP_NAME} ${id.procId} valetkey.test [${SD_ID} test="1"] {"type":"valetkey.test"}`;
}

/** RFC 6587 §3.4.1: MSG-LEN SP SYSLOG-MSG, the length in octets. */
export function octetFrame(message: string): Buffer {
  const body = Buffer.from(message, 'utf8');
  return Buffer.concat([Buffer.from(`${body.length} `, 'ascii'), body]);
}
