import { describe, expect, it } from 'vitest';
import { validateTokenRules } from '../../src/core/tripwires/token-rules-input.js';
import { actionsFor, describeRule, RULE_NAMES, ruleDefaults, setRuleAction, toggleRule } from '../../src/renderer/lib/rules-form.js';
import { TOKEN_TEMPLATES, toTokenInput } from '../../src/renderer/lib/token-form.js';
import { DEFAULT_TOKEN_RULES } from '../../src/shared/model.js';

describe('the token wizard’s tripwire rules', () => {
  it('starts every template from the default rules, and sends them with the token', () => {
    for (const t of Object.values(TOKEN_TEMPLATES)) expect(t.form.rules).toEqual(DEFAULT_TOKEN_RULES);
    expect(toTokenInput({ ...TOKEN_TEMPLATES.coding.form, vaultIds: ['v1'] }).rules).toEqual(DEFAULT_TOKEN_RULES);
  });

  it('turns rules on with defaults the engine accepts, and off again', () => {
    let rules = {};
    for (const name of RULE_NAMES) rules = toggleRule(rules, name, true, 'Europe/Paris');
    expect(rules).toEqual(ruleDefaults('Europe/Paris'));
    expect(validateTokenRules(rules)).toEqual(rules);
    expect(toggleRule(rules, 'hours', false, 'UTC')).not.toHaveProperty('hours');
  });

  it('offers only the actions a rule can take', () => {
    expect(actionsFor('newReason')).toEqual(['alert']);
    expect(actionsFor('secondKey')).toEqual(['alert', 'pause']);
    const rules = ruleDefaults('UTC');
    expect(setRuleAction(rules, 'burst', 'pause').burst?.action).toBe('pause');
    expect(setRuleAction(rules, 'newReason', 'pause')).toBe(rules);
  });

  it('says what each rule watches for with its settings', () => {
    const rules = ruleDefaults('Asia/Tokyo');
    expect(describeRule(rules, 'burst')).toBe('More than 60 accesses in a minute, or 5× its usual rate over the past hour.');
    expect(describeRule(rules, 'hours')).toBe('Any access outside 08:00–19:00 (Asia/Tokyo), on the days you chose.');
  });
});
