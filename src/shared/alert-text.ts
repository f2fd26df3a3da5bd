/**
 * Tripwire alerts in words, shared by the dashboards and the desktop notification so both say the
 * same thing. Built from the audit row alone (it carries no secret), never from a value.
 */
import { isAlertRow, type AuditRow } from './model.js';

export interface AlertText {
  /** One short line: what tripped. */
  readonly title: string;
  /** What the agent did and what Valetkey did about it. */
  readonly body: string;
}

const DONE: Readonly<Record<string, string>> = {
  revoked: 'Valetkey revoked its token.',
  paused: 'Valetkey paused its token.',
  asked: 'Valetkey asked you before letting it through.',
  alerted: 'The access went through; only you were told.',
};

function whatTripped(row: AuditRow): string {
  const d = row.detail ?? {};
  switch (row.action) {
    case 'alert.canary':
      return 'touched a canary entry';
    case 'alert.burst':
      return `made ${String(d['accessesLastMinute'] ?? 'many')} accesses in a minute`;
    case 'alert.new_entry':
      return 'read an entry it never touched before';
    case 'alert.hours':
      return `asked at ${String(d['localTime'] ?? 'an odd time')}, outside the hours you set`;
    case 'alert.new_reason':
      return 'gave a reason it never gave before';
    case 'alert.second_key':
      return 'presented its token with another key';
    default:
      return 'tripped a tripwire';
  }
}

export function describeAlert(row: AuditRow): AlertText {
  const who = row.agent ?? 'An agent';
  const done = DONE[String(row.detail?.['done'] ?? '')] ?? '';
  const reason = row.reason === null ? '' : ` Its reason: “${row.reason}”.`;
  return { title: `${who} ${whatTripped(row)}`, body: `${done}${reason}`.trim() };
}

/** The alert rows among freshly appended audit rows. */
export function alertRowsOf(rows: readonly AuditRow[]): AuditRow[] {
  return rows.filter(isAlertRow);
}
