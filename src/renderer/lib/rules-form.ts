/**
 * The token wizard's tripwire rules, as plain functions: which rules exist, what each does in
 * words, what a rule starts as when the person turns it on, and turning one on or off.
 */
import { DEFAULT_TOKEN_RULES, type RuleAction, type TokenRules } from '../../shared/model.js';

export const RULE_NAMES = ['burst', 'newEntry', 'hours', 'newReason', 'secondKey'] as const;
export type RuleName = (typeof RULE_NAMES)[number];

export const RULE_LABELS: Readonly<Record<RuleName, string>> = {
  burst: 'A burst of accesses',
  newEntry: 'An entry it never touched',
  hours: 'Outside my hours',
  newReason: 'A reason it never gave',
  secondKey: 'Its token used from a second key',
};

export const ACTION_LABELS: Readonly<Record<RuleAction, string>> = {
  alert: 'Alert me only',
  ask: 'Ask me first',
  pause: 'Pause the token',
};

/** Which actions a rule may take: a new reason is shown, never blocked; a second key is refused anyway. */
export function actionsFor(rule: RuleName): readonly RuleAction[] {
  if (rule === 'newReason') return ['alert'];
  if (rule === 'secondKey') return ['alert', 'pause'];
  return ['alert', 'ask', 'pause'];
}

/** What the rule watches for, in words, with its current settings. */
export function describeRule(rules: TokenRules, rule: RuleName): string {
  switch (rule) {
    case 'burst':
      return `More than ${rules.burst?.perMinute ?? 60} accesses in a minute, or ${rules.burst?.hourFactor ?? 5}× its usual rate over the past hour.`;
    case 'newEntry':
      return 'The first time it reads or uses an entry.';
    case 'hours': {
      const h = rules.hours;
      return h === undefined ? 'Any access outside the hours you set.' : `Any access outside ${h.from}–${h.to} (${h.timeZone}), on the days you chose.`;
    }
    case 'newReason':
      return 'A reason it has not given before (after its first one).';
    case 'secondKey':
      return 'Someone presents its token with another key: already refused, now you hear of it.';
  }
}

/** What a rule starts as when turned on: the wizard's defaults, hours in the person's own time zone. */
export function ruleDefaults(timeZone: string): Required<TokenRules> {
  return {
    burst: DEFAULT_TOKEN_RULES.burst ?? { perMinute: 60, hourFactor: 5, action: 'alert' },
    newEntry: { action: 'alert' },
    hours: { from: '08:00', to: '19:00', days: [1, 2, 3, 4, 5], timeZone, action: 'alert' },
    newReason: { action: 'alert' },
    secondKey: { action: 'alert' },
  };
}

export function toggleRule(rules: TokenRules, rule: RuleName, on: boolean, timeZone: string): TokenRules {
  const { [rule]: _dropped, ...rest } = rules;
  return on ? { ...rest, [rule]: rules[rule] ?? ruleDefaults(timeZone)[rule] } : rest;
}

export function setRuleAction(rules: TokenRules, rule: RuleName, action: RuleAction): TokenRules {
  const current = rules[rule];
  if (current === undefined || !actionsFor(rule).includes(action)) return rules;
  return { ...rules, [rule]: { ...current, action } };
}
