import { describe, expect, it } from 'vitest';
import { checkBurst, checkHours, checkNewEntry, checkRules, localTime, withinHours, type AccessHistory } from '../../../src/core/tripwires/rule-checks.js';
import { validateTokenRules } from '../../../src/core/tripwires/token-rules-input.js';

const NOW = Date.UTC(2026, 11, 3, 14, 30); // a Thursday, 14:30 UTC
const MINUTE = 60_000;
const empty: AccessHistory = { times: [], entries: new Set(), reasons: new Set() };
const one = (entryId = 'e1') => ({ now: NOW, reason: 'monthly report', targets: [{ vaultId: 'v1', entryId }] });

function history(times: number[], entries: string[] = [], reasons: string[] = []): AccessHistory {
  return { times, entries: new Set(entries), reasons: new Set(reasons) };
}

describe('burst', () => {
  const rule = { perMinute: 5, hourFactor: 5, action: 'alert' as const };

  it('trips past N accesses within a minute, counting this request', () => {
    const four = [1, 2, 3, 4].map((s) => NOW - s * 1000);
    expect(checkBurst(rule, history(four), one())).toEqual([]);
    const five = [...four, NOW - 5000];
    expect(checkBurst(rule, history(five), one())).toEqual([{ rule: 'burst', action: 'alert', evidence: { accessesLastMinute: 6, perMinute: 5 } }]);
  });

  it('forgets accesses older than a minute for the absolute limit', () => {
    const old = Array.from({ length: 20 }, (_, i) => NOW - 2 * MINUTE - i);
    expect(checkBurst({ ...rule, perMinute: 5, hourFactor: 1000 }, history(old), one())).toEqual([]);
  });

  it('trips on a burst relative to its own past hour, even under N', () => {
    const loose = { perMinute: 1000, hourFactor: 5, action: 'pause' as const };
    // One access every 6 minutes over the hour before (about 0.17 a minute), then 12 in a minute.
    const calm = Array.from({ length: 9 }, (_, i) => NOW - (i + 2) * 6 * MINUTE);
    const burst = Array.from({ length: 11 }, (_, i) => NOW - i * 1000);
    expect(checkBurst(loose, history(calm), one())).toEqual([]);
    expect(checkBurst(loose, history([...calm, ...burst]), one())[0]).toMatchObject({ rule: 'burst', action: 'pause', evidence: { accessesLastMinute: 12 } });
  });

  it('does not call the first minutes of a new token a relative burst', () => {
    const loose = { perMinute: 1000, hourFactor: 5, action: 'alert' as const };
    expect(checkBurst(loose, history(Array.from({ length: 30 }, (_, i) => NOW - i * 100)), one())).toEqual([]);
  });
});

describe('new entry', () => {
  it('trips once per entry it has never touched, and not for one it has', () => {
    expect(checkNewEntry('ask', history([NOW - 1000], ['e1']), one('e1'))).toEqual([]);
    const attempt = { ...one('e2'), targets: [{ vaultId: 'v1', entryId: 'e2' }, { vaultId: 'v1', entryId: 'e2' }, { vaultId: 'v1', entryId: 'e1' }] };
    expect(checkNewEntry('ask', history([NOW - 1000], ['e1']), attempt)).toEqual([{ rule: 'new_entry', action: 'ask', entryId: 'e2', vaultId: 'v1', evidence: { entriesBefore: 1 } }]);
  });
});

describe('hours', () => {
  const base = { days: [1, 2, 3, 4, 5], timeZone: 'UTC', action: 'pause' as const };

  it('lets an access inside the window through and trips outside it', () => {
    expect(checkHours({ ...base, from: '09:00', to: '18:00' }, one())).toEqual([]);
    expect(checkHours({ ...base, from: '09:00', to: '14:00' }, one())[0]).toMatchObject({ rule: 'hours', action: 'pause', evidence: { localTime: '14:30', day: 4 } });
  });

  it('reads the clock in the person’s time zone', () => {
    expect(localTime(NOW, 'Asia/Tokyo')).toEqual({ day: 4, minutes: 23 * 60 + 30 });
    expect(checkHours({ ...base, from: '09:00', to: '18:00', timeZone: 'Asia/Tokyo' }, one())).toHaveLength(1);
  });

  it('handles windows over midnight and days off', () => {
    const night = { from: '22:00', to: '06:00', days: [4] };
    expect(withinHours(night, { day: 4, minutes: 23 * 60 })).toBe(true);
    expect(withinHours(night, { day: 5, minutes: 5 * 60 })).toBe(true); // Thursday's night, early Friday
    expect(withinHours(night, { day: 5, minutes: 23 * 60 })).toBe(false);
    expect(withinHours({ from: '09:00', to: '18:00', days: [1, 2, 3, 4, 5] }, { day: 6, minutes: 600 })).toBe(false);
  });
});

describe('new reason and the whole set', () => {
  it('alerts on a reason not given before, once a first reason set the baseline', () => {
    const rules = { newReason: { action: 'alert' as const } };
    expect(checkRules(rules, empty, one())).toEqual([]);
    expect(checkRules(rules, history([NOW - 1000], ['e1'], ['monthly report']), one())).toEqual([]);
    expect(checkRules(rules, history([NOW - 1000], ['e1'], ['daily sync']), one())).toEqual([{ rule: 'new_reason', action: 'alert', evidence: { reasonsBefore: 1 } }]);
  });

  it('checks nothing when no rule is on', () => {
    expect(checkRules({}, history(Array.from({ length: 500 }, () => NOW)), one('new'))).toEqual([]);
  });
});

describe('rules input', () => {
  it('keeps only known rules and fields, with defaults', () => {
    expect(validateTokenRules({ burst: { perMinute: 30, action: 'ask' }, hours: { from: '08:00', to: '19:30', action: 'alert', timeZone: 'Europe/Paris' } })).toEqual({
      burst: { perMinute: 30, hourFactor: 5, action: 'ask' },
      hours: { from: '08:00', to: '19:30', days: [1, 2, 3, 4, 5], timeZone: 'Europe/Paris', action: 'alert' },
    });
    expect(validateTokenRules(undefined)).toEqual({});
  });

  it('refuses what it does not understand, naming the field', () => {
    for (const [rules, words] of [
      [{ sudo: {} }, 'rules.sudo'],
      [{ burst: { perMinute: 0, action: 'alert' } }, 'rules.burst.perMinute'],
      [{ newReason: { action: 'pause' } }, 'rules.newReason.action'],
      [{ hours: { from: '9am', to: '18:00', action: 'alert' } }, 'rules.hours.from'],
      [{ hours: { from: '09:00', to: '18:00', action: 'alert', timeZone: 'Mars/Olympus' } }, 'rules.hours.timeZone'],
    ] as const) {
      expect(() => validateTokenRules(rules)).toThrow(words);
    }
  });
});
