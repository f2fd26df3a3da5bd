/**
 * The Activity page's filter form, turned into an AuditQuery for the engine. The form keeps
 * strings (what inputs hold); the query gets numbers and leaves out what is empty.
 */
import { AUDIT_OUTCOMES, type AuditOutcome, type AuditQuery } from '../../shared/model.js';

export const TIME_RANGES = ['1h', '24h', '7d', '30d', 'all', 'custom'] as const;
export type TimeRange = (typeof TIME_RANGES)[number];

export const TIME_RANGE_LABELS: Readonly<Record<TimeRange, string>> = {
  '1h': 'Last hour',
  '24h': 'Last 24 hours',
  '7d': 'Last 7 days',
  '30d': 'Last 30 days',
  all: 'All time',
  custom: 'Custom range',
};

const RANGE_MS: Readonly<Record<Exclude<TimeRange, 'all' | 'custom'>, number>> = {
  '1h': 3_600_000,
  '24h': 86_400_000,
  '7d': 7 * 86_400_000,
  '30d': 30 * 86_400_000,
};

export interface AuditFilters {
  readonly agent: string;
  readonly tokenId: string;
  readonly vaultId: string;
  readonly action: string;
  readonly outcome: '' | AuditOutcome;
  readonly range: TimeRange;
  /** `datetime-local` input values (local time), used with the custom range. */
  readonly from: string;
  readonly to: string;
  readonly search: string;
}

export const EMPTY_FILTERS: AuditFilters = {
  agent: '',
  tokenId: '',
  vaultId: '',
  action: '',
  outcome: '',
  range: '24h',
  from: '',
  to: '',
  search: '',
};

/** Actions the engine writes today, offered in the filter's list (any other can be typed). */
export const KNOWN_ACTIONS = [
  'secret.read',
  'vault.list',
  'entry.list',
  'entry.reveal',
  'entry.totp',
  'entry.create',
  'entry.update',
  'entry.delete',
  'vault.create',
  'vault.update',
  'vault.delete',
  'token.create',
  'token.request',
  'token.enroll',
  'token.exchange',
  'token.revoke',
  'token.revoke_all',
  'device.request',
  'device.decide',
  'approval.request',
  'approval.decide',
  'approval.timeout',
  'admin.grant_refused',
  'engine.unlock',
  'engine.lock',
  'agents.pause',
  'agents.resume',
] as const;

export function isOutcome(value: string): value is AuditOutcome {
  return (AUDIT_OUTCOMES as readonly string[]).includes(value);
}

function localTime(value: string): number | undefined {
  if (value === '') return undefined;
  const ms = new Date(value).getTime();
  return Number.isNaN(ms) ? undefined : ms;
}

/** The time window [since, until) the filters ask for; either end may be open. */
export function timeWindow(filters: AuditFilters, now: number): { readonly since?: number; readonly until?: number } {
  if (filters.range === 'all') return {};
  if (filters.range === 'custom') {
    const since = localTime(filters.from);
    const until = localTime(filters.to);
    return { ...(since === undefined ? {} : { since }), ...(until === undefined ? {} : { until }) };
  }
  return { since: now - RANGE_MS[filters.range] };
}

export function toAuditQuery(filters: AuditFilters, now: number): AuditQuery {
  const text = (v: string) => v.trim();
  return {
    ...(text(filters.agent) ? { agent: text(filters.agent) } : {}),
    ...(filters.tokenId ? { tokenId: filters.tokenId } : {}),
    ...(filters.vaultId ? { vaultId: filters.vaultId } : {}),
    ...(text(filters.action) ? { action: text(filters.action) } : {}),
    ...(filters.outcome ? { outcome: filters.outcome } : {}),
    ...(text(filters.search) ? { reasonContains: text(filters.search) } : {}),
    ...timeWindow(filters, now),
  };
}

/** The chart's x-axis: the asked window, or for open ends the span of the rows found (at least a minute). */
export function chartSpan(filters: AuditFilters, now: number, oldestTs: number | undefined): { readonly since: number; readonly until: number } {
  const window = timeWindow(filters, now);
  const until = window.until ?? now;
  const since = window.since ?? oldestTs ?? until - 3_600_000;
  return since < until - 60_000 ? { since, until } : { since: until - 60_000, until };
}
