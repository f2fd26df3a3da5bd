import type { RuleAction, TokenRules } from '../../../shared/model.js';
import { ACTION_LABELS, actionsFor, describeRule, RULE_LABELS, RULE_NAMES, setRuleAction, toggleRule, type RuleName } from '../../lib/rules-form.js';

const TIME_ZONE = Intl.DateTimeFormat().resolvedOptions().timeZone;

/** The token's tripwires: each rule on or off, what it does when it trips, and its one or two settings. */
export function TokenRulesFields({ rules, onChange }: { readonly rules: TokenRules; readonly onChange: (rules: TokenRules) => void }) {
  return (
    <fieldset className="stack" data-testid="token-rules">
      <legend>Tripwires: when to tell you</legend>
      {RULE_NAMES.map((rule) => (
        <div key={rule} className="row">
          <label className="row grow">
            <input type="checkbox" checked={rules[rule] !== undefined} onChange={(e) => onChange(toggleRule(rules, rule, e.target.checked, TIME_ZONE))} data-testid={`rule-${rule}`} />
            <span>
              <strong>{RULE_LABELS[rule]}</strong>
              <span className="muted small"> · {describeRule(rules, rule)}</span>
            </span>
          </label>
          {rules[rule] !== undefined && <RuleSettings rule={rule} rules={rules} onChange={onChange} />}
        </div>
      ))}
    </fieldset>
  );
}

function RuleSettings({ rule, rules, onChange }: { readonly rule: RuleName; readonly rules: TokenRules; readonly onChange: (rules: TokenRules) => void }) {
  const action = rules[rule]?.action ?? 'alert';
  return (
    <>
      {rule === 'burst' && rules.burst && (
        <label className="field">
          <span className="small">per minute</span>
          <input type="number" min={1} max={10000} value={rules.burst.perMinute} onChange={(e) => rules.burst && onChange({ ...rules, burst: { ...rules.burst, perMinute: Math.max(1, Number(e.target.value) || 1) } })} data-testid="rule-burst-per-minute" />
        </label>
      )}
      {rule === 'hours' && rules.hours && (
        <>
          <input type="time" aria-label="from" value={rules.hours.from} onChange={(e) => rules.hours && onChange({ ...rules, hours: { ...rules.hours, from: e.target.value } })} />
          <input type="time" aria-label="to" value={rules.hours.to} onChange={(e) => rules.hours && onChange({ ...rules, hours: { ...rules.hours, to: e.target.value } })} />
        </>
      )}
      <select aria-label={`${RULE_LABELS[rule]}: what to do`} value={action} disabled={actionsFor(rule).length === 1} onChange={(e) => onChange(setRuleAction(rules, rule, e.target.value as RuleAction))} data-testid={`rule-${rule}-action`}>
        {actionsFor(rule).map((a) => (
          <option key={a} value={a}>
            {ACTION_LABELS[a]}
          </option>
        ))}
      </select>
    </>
  );
}
