import { describe, expect, it } from 'vitest';
import { effectiveApproval } from '../../../src/core/approvals/effective-approval.js';
import type { ApprovalSetting, TokenApproval } from '../../../src/shared/model.js';

const NONE: ApprovalSetting = { mode: 'none' };
const EVERY: ApprovalSetting = { mode: 'every_access' };
const once = (minutes: number): ApprovalSetting => ({ mode: 'once_per_token', minutes });

const SETTINGS: readonly ApprovalSetting[] = [NONE, EVERY, once(1), once(5), once(60), once(1440)];

/** An independent oracle: how long one approval lasts (Infinity for none, 0 for every access). Less is stricter. */
function lasts(s: ApprovalSetting): number {
  if (s.mode === 'none') return Number.POSITIVE_INFINITY;
  if (s.mode === 'every_access') return 0;
  return s.minutes ?? 0;
}

describe('effectiveApproval', () => {
  it('follows the vault when the token says "vault"', () => {
    for (const vault of SETTINGS) expect(effectiveApproval(vault, 'vault')).toEqual(vault);
  });

  it('takes the stricter of every vault and token setting', () => {
    for (const vault of SETTINGS) {
      for (const token of SETTINGS) {
        const result = effectiveApproval(vault, token);
        expect(lasts(result)).toBe(Math.min(lasts(vault), lasts(token)));
        expect([vault, token]).toContainEqual(result);
        expect(effectiveApproval(token, vault)).toEqual(result);
      }
    }
  });

  it('spells out the ordering every_access > once_per_token (fewer minutes) > none', () => {
    expect(effectiveApproval(NONE, EVERY)).toEqual(EVERY);
    expect(effectiveApproval(EVERY, NONE)).toEqual(EVERY);
    expect(effectiveApproval(once(30), EVERY)).toEqual(EVERY);
    expect(effectiveApproval(NONE, once(30))).toEqual(once(30));
    expect(effectiveApproval(once(30), NONE)).toEqual(once(30));
    expect(effectiveApproval(once(30), once(10))).toEqual(once(10));
    expect(effectiveApproval(once(10), once(30))).toEqual(once(10));
    expect(effectiveApproval(NONE, NONE)).toEqual(NONE);
  });

  it('a token can never loosen a vault', () => {
    const tokens: readonly TokenApproval[] = ['vault', ...SETTINGS];
    for (const vault of SETTINGS) for (const token of tokens) expect(lasts(effectiveApproval(vault, token))).toBeLessThanOrEqual(lasts(vault));
  });

  it('reads a once_per_token without usable minutes, or an unknown mode, as every_access', () => {
    expect(effectiveApproval({ mode: 'once_per_token' }, 'vault')).toEqual(EVERY);
    expect(effectiveApproval(once(0), NONE)).toEqual(EVERY);
    expect(effectiveApproval(once(2.5), 'vault')).toEqual(EVERY);
    expect(effectiveApproval(NONE, { mode: 'sometimes' } as unknown as ApprovalSetting)).toEqual(EVERY);
    expect(effectiveApproval({ mode: 'sometimes' } as unknown as ApprovalSetting, 'vault')).toEqual(EVERY);
  });
});
