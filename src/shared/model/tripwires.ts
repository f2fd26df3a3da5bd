/**
 * Tripwires: canary entries and per-token rules that notice an agent going rogue (docs/security.md,
 * attacks 72-81). Alerts are audit rows whose action starts with `alert.`.
 */
import type { AuditRow } from '../model.js';

/** What a rule does when it trips: only tell the person, turn the access into an approval, or pause the token. */
export const RULE_ACTIONS = ['alert', 'ask', 'pause'] as const;
export type RuleAction = (typeof RULE_ACTIONS)[number];

/** What touching a canary does to the token: revoke (default) or pause it. */
export const CANARY_TRIPS = ['revoke', 'pause'] as const;
export type CanaryTrip = (typeof CANARY_TRIPS)[number];

/** Set on an entry to make it a canary; sealed with the entry's values, so a database edit cannot clear it. */
export interface CanarySetting {
  readonly onTrip: CanaryTrip;
}

export interface BurstRule {
  /** More than this many accesses (one per entry reference) within 60 s trips the rule. */
  readonly perMinute: number;
  /** Also trips when the last minute holds this many times the token's average minute of the hour before (and at least 10 accesses). */
  readonly hourFactor: number;
  readonly action: RuleAction;
}

export interface HoursRule {
  /** `HH:MM`, 24-hour clock, in `timeZone`. A window that ends before it starts runs over midnight. */
  readonly from: string;
  readonly to: string;
  /** Days the window applies, 0 = Sunday. Other days are outside hours. */
  readonly days: readonly number[];
  /** IANA time zone the person set the hours in, e.g. `Europe/Paris`. */
  readonly timeZone: string;
  readonly action: RuleAction;
}

/** Rules of one token, each optional (absent = off). They live with the token, sealed like its other settings. */
export interface TokenRules {
  readonly burst?: BurstRule;
  /** An entry the token has never touched before. */
  readonly newEntry?: { readonly action: RuleAction };
  /** A secret access outside the person's hours. */
  readonly hours?: HoursRule;
  /** A reason the token has not given before (its first reason sets the baseline): shown, never blocked. */
  readonly newReason?: { readonly action: 'alert' };
  /** The token presented with a proof from another key: already refused, now also alerted. */
  readonly secondKey?: { readonly action: 'alert' | 'pause' };
}

/** What the token wizard starts from: quiet rules that alert, none that block. */
export const DEFAULT_TOKEN_RULES: TokenRules = {
  burst: { perMinute: 60, hourFactor: 5, action: 'alert' },
  newReason: { action: 'alert' },
  secondKey: { action: 'alert' },
};

export const ALERT_RULES = ['canary', 'burst', 'new_entry', 'hours', 'new_reason', 'second_key'] as const;
export type AlertRule = (typeof ALERT_RULES)[number];

/** The audit action of an alert row. */
export function alertAction(rule: AlertRule): string {
  return `alert.${rule}`;
}

export function isAlertRow(row: Pick<AuditRow, 'action'>): boolean {
  return row.action.startsWith('alert.');
}

/** An alert with the audit rows of the same token just before and after it (oldest first). */
export interface AlertInfo {
  readonly alert: AuditRow;
  readonly before: readonly AuditRow[];
  readonly after: readonly AuditRow[];
}

/** A token's tripwire state as the dashboards show it. */
export interface TokenTripwires {
  readonly paused: boolean;
  readonly rules: TokenRules;
}
