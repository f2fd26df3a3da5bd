/**
 * Checks a person's tripwire rules (they arrive as JSON) and returns a clean copy with only the
 * known fields. Errors name the field and the fix.
 */
import { RULE_ACTIONS, type BurstRule, type HoursRule, type RuleAction, type TokenRules } from '../../shared/model.js';
import { invalid } from '../vault/input-checks.js';
import { MAX_REQUESTS_PER_MINUTE } from '../../shared/admin-schemas/limits.js';

const HHMM = /^([01]\d|2[0-3]):([0-5]\d)$/;

type Json = Readonly<Record<string, unknown>>;

function object(value: unknown, field: string): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalid(`${field} must be an object`);
  return value as Json;
}

function action<A extends RuleAction>(value: unknown, field: string, allowed: readonly A[]): A {
  const found = allowed.find((a) => a === value);
  if (found === undefined) throw invalid(`${field}.action must be one of ${allowed.join(', ')}`);
  return found;
}

function whole(value: unknown, field: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) throw invalid(`${field} must be a whole number from ${min} to ${max}`);
  return value;
}

function burst(value: unknown): BurstRule {
  const p = object(value, 'rules.burst');
  return {
    perMinute: whole(p.perMinute, 'rules.burst.perMinute', 1, MAX_REQUESTS_PER_MINUTE),
    hourFactor: whole(p.hourFactor ?? 5, 'rules.burst.hourFactor', 2, 1000),
    action: action(p.action, 'rules.burst', RULE_ACTIONS),
  };
}

function validTimeZone(value: unknown): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > 64) throw invalid('rules.hours.timeZone must be an IANA time zone such as Europe/Paris');
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone: value });
  } catch {
    throw invalid('rules.hours.timeZone must be an IANA time zone such as Europe/Paris');
  }
  return value;
}

function hours(value: unknown): HoursRule {
  const p = object(value, 'rules.hours');
  const time = (v: unknown, f: string): string => {
    if (typeof v !== 'string' || !HHMM.test(v)) throw invalid(`rules.hours.${f} must be a time like 09:00`);
    return v;
  };
  const days = p.days ?? [1, 2, 3, 4, 5];
  if (!Array.isArray(days) || days.length > 7) throw invalid('rules.hours.days must be a list of days, 0 (Sunday) to 6');
  const clean = [...new Set(days.map((d, i) => whole(d, `rules.hours.days[${i}]`, 0, 6)))].sort();
  return { from: time(p.from, 'from'), to: time(p.to, 'to'), days: clean, timeZone: validTimeZone(p.timeZone ?? 'UTC'), action: action(p.action, 'rules.hours', RULE_ACTIONS) };
}

/** Absent rules mean none; each rule is present only when turned on. */
export function validateTokenRules(value: unknown): TokenRules {
  if (value === undefined || value === null) return {};
  const p = object(value, 'rules');
  const known = new Set(['burst', 'newEntry', 'hours', 'newReason', 'secondKey']);
  for (const k of Object.keys(p)) if (!known.has(k)) throw invalid(`rules.${k} is not a rule; use ${[...known].join(', ')}`);
  const out: { -readonly [K in keyof TokenRules]: TokenRules[K] } = {};
  if (p.burst !== undefined) out.burst = burst(p.burst);
  if (p.newEntry !== undefined) out.newEntry = { action: action(object(p.newEntry, 'rules.newEntry').action, 'rules.newEntry', RULE_ACTIONS) };
  if (p.hours !== undefined) out.hours = hours(p.hours);
  if (p.newReason !== undefined) out.newReason = { action: action(object(p.newReason, 'rules.newReason').action, 'rules.newReason', ['alert'] as const) };
  if (p.secondKey !== undefined) out.secondKey = { action: action(object(p.secondKey, 'rules.secondKey').action, 'rules.secondKey', ['alert', 'pause'] as const) };
  return out;
}
