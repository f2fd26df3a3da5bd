/**
 * The Alerts page's data: the newest `alert.*` rows, each with the same token's audit rows just
 * before and just after it, so the person sees what the agent did around the trip.
 */
import { ALERT_RULES, alertAction, type AlertInfo, type AuditPage, type AuditQuery, type AuditRow } from '../../shared/model.js';

const CONTEXT_ROWS = 5;
/** How far after an alert to look for the token's next rows. */
const AFTER_WINDOW_MS = 15 * 60_000;
const MAX_ALERTS = 200;

export function listAlerts(query: (q: AuditQuery) => AuditPage, limit = 50): AlertInfo[] {
  const n = Math.max(1, Math.min(MAX_ALERTS, Math.floor(limit)));
  const alerts = ALERT_RULES.flatMap((rule) => query({ action: alertAction(rule), limit: n }).rows)
    .sort((a, b) => b.seq - a.seq)
    .slice(0, n);
  return alerts.map((alert) => ({ alert, ...around(query, alert) }));
}

function around(query: (q: AuditQuery) => AuditPage, alert: AuditRow): Pick<AlertInfo, 'before' | 'after'> {
  if (alert.tokenId === null) return { before: [], after: [] };
  const tokenId = alert.tokenId;
  const before = query({ tokenId, beforeSeq: alert.seq, limit: CONTEXT_ROWS }).rows.slice().reverse();
  const later = query({ tokenId, since: alert.ts, until: alert.ts + AFTER_WINDOW_MS, limit: 500 }).rows;
  const after = later.filter((r) => r.seq > alert.seq).sort((a, b) => a.seq - b.seq).slice(0, CONTEXT_ROWS);
  return { before, after };
}
