/**
 * The per-token rules as plain functions of what the token did before and what it asks now: no
 * I/O, no clock of their own, so each rule is tested on its own with made-up histories.
 */
import type { AlertRule, BurstRule, HoursRule, RuleAction, TokenRules } from '../../shared/model.js';

/** What the token did before (the last hour of accesses; every entry and reason ever seen). */
export interface AccessHistory {
  /** Times (ms) of earlier accesses, one per entry reference, oldest first; at most the last hour matters. */
  readonly times: readonly number[];
  readonly entries: ReadonlySet<string>;
  readonly reasons: ReadonlySet<string>;
}

/** One request about to be served: one item per entry it names. */
export interface AccessAttempt {
  readonly now: number;
  readonly reason: string;
  readonly targets: readonly { readonly vaultId: string; readonly entryId: string }[];
}

export interface RuleTrip {
  readonly rule: AlertRule;
  readonly action: RuleAction;
  /** What the person needs to judge it; never a value. */
  readonly evidence: Readonly<Record<string, unknown>>;
  readonly entryId?: string;
  readonly vaultId?: string;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
/** A relative burst needs at least this many accesses in the minute: a quiet token's third read is no burst. */
export const MIN_RELATIVE_BURST = 10;

export function checkRules(rules: TokenRules, history: AccessHistory, attempt: AccessAttempt): RuleTrip[] {
  const trips: RuleTrip[] = [];
  if (rules.burst) trips.push(...checkBurst(rules.burst, history, attempt));
  if (rules.newEntry) trips.push(...checkNewEntry(rules.newEntry.action, history, attempt));
  if (rules.hours) trips.push(...checkHours(rules.hours, attempt));
  // The first reason sets the baseline; only a change from it is news.
  if (rules.newReason && history.reasons.size > 0 && !history.reasons.has(attempt.reason)) {
    trips.push({ rule: 'new_reason', action: rules.newReason.action, evidence: { reasonsBefore: history.reasons.size } });
  }
  return trips;
}

export function checkBurst(rule: BurstRule, history: AccessHistory, attempt: AccessAttempt): RuleTrip[] {
  const lastMinute = history.times.filter((t) => t > attempt.now - MINUTE).length + attempt.targets.length;
  const hourBefore = history.times.filter((t) => t > attempt.now - HOUR && t <= attempt.now - MINUTE).length;
  const averageMinute = hourBefore / 59;
  if (lastMinute > rule.perMinute) {
    return [{ rule: 'burst', action: rule.action, evidence: { accessesLastMinute: lastMinute, perMinute: rule.perMinute } }];
  }
  if (hourBefore > 0 && lastMinute >= MIN_RELATIVE_BURST && lastMinute > rule.hourFactor * averageMinute) {
    return [{ rule: 'burst', action: rule.action, evidence: { accessesLastMinute: lastMinute, averagePerMinuteHourBefore: round(averageMinute), hourFactor: rule.hourFactor } }];
  }
  return [];
}

export function checkNewEntry(action: RuleAction, history: AccessHistory, attempt: AccessAttempt): RuleTrip[] {
  const fresh = attempt.targets.filter((t, i) => !history.entries.has(t.entryId) && attempt.targets.findIndex((u) => u.entryId === t.entryId) === i);
  return fresh.map((t) => ({ rule: 'new_entry', action, entryId: t.entryId, vaultId: t.vaultId, evidence: { entriesBefore: history.entries.size } }));
}

export function checkHours(rule: HoursRule, attempt: AccessAttempt): RuleTrip[] {
  const local = localTime(attempt.now, rule.timeZone);
  if (withinHours(rule, local)) return [];
  const first = attempt.targets[0];
  return [
    {
      rule: 'hours',
      action: rule.action,
      ...(first ? { vaultId: first.vaultId } : {}),
      evidence: { localTime: `${pad(Math.floor(local.minutes / 60))}:${pad(local.minutes % 60)}`, day: local.day, from: rule.from, to: rule.to, timeZone: rule.timeZone },
    },
  ];
}

/** Whether a local day and minute of the day fall inside the person's hours (a window may cross midnight). */
export function withinHours(rule: Pick<HoursRule, 'from' | 'to' | 'days'>, local: { readonly day: number; readonly minutes: number }): boolean {
  const from = minutesOf(rule.from);
  const to = minutesOf(rule.to);
  if (from === to) return rule.days.includes(local.day); // the whole day
  if (from < to) return rule.days.includes(local.day) && local.minutes >= from && local.minutes < to;
  // Overnight: the evening belongs to today's window, the early morning to yesterday's.
  if (local.minutes >= from) return rule.days.includes(local.day);
  return local.minutes < to && rule.days.includes((local.day + 6) % 7);
}

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

export function localTime(ms: number, timeZone: string): { readonly day: number; readonly minutes: number } {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(ms);
  const get = (type: string): string => parts.find((p) => p.type === type)?.value ?? '';
  return { day: WEEKDAYS.indexOf(get('weekday')), minutes: Number(get('hour')) * 60 + Number(get('minute')) };
}

function minutesOf(hhmm: string): number {
  const [h, m] = hhmm.split(':');
  return Number(h) * 60 + Number(m);
}

const pad = (n: number): string => String(n).padStart(2, '0');
const round = (n: number): number => Math.round(n * 100) / 100;
