import { describe, expect, it } from 'vitest';
import type { DeviceRequestInfo } from '../../src/shared/model.js';
import { fullChoice, lifespanChoices, narrowedParams, narrowingProblems } from '../../src/renderer/lib/device-narrowing.js';

const REQUEST: DeviceRequestInfo = {
  id: 'dr1',
  userCode: 'BCDF-GHJK',
  clientName: 'ci',
  keyThumbprint: 'k'.repeat(43),
  requestedScope: 'vault:v1:read vault:v2:read vault:v1:use vault:v2:use',
  vaults: [
    { ref: 'Work', id: 'v1', name: 'Work' },
    { ref: 'Bank', id: 'v2', name: 'Bank' },
    { ref: 'Ghost', id: null, name: null },
  ],
  actions: ['read', 'use'],
  lifespanSeconds: 7 * 86_400,
  reason: 'release',
  status: 'pending',
  createdAt: '2025-01-01T00:00:00.000Z',
  expiresAt: '2025-01-01T00:10:00.000Z',
  tokenId: null,
};

describe('approve narrowed', () => {
  it('approving as asked sends nothing narrowed', () => {
    expect(narrowedParams(REQUEST, fullChoice(REQUEST))).toEqual({});
    expect(fullChoice(REQUEST).vaultIds).toEqual(['v1', 'v2']);
  });

  it('sends only what was narrowed', () => {
    expect(narrowedParams(REQUEST, { vaultIds: ['v2'], actions: ['read', 'use'], lifespanSeconds: 3600 })).toEqual({ vaults: ['v2'], lifespanSeconds: 3600 });
    expect(narrowedParams(REQUEST, { vaultIds: ['v1', 'v2'], actions: ['read'], lifespanSeconds: 7 * 86_400 })).toEqual({ actions: ['read'] });
  });

  it('refuses to widen or to empty the grant', () => {
    expect(narrowingProblems(REQUEST, { vaultIds: [], actions: ['read'], lifespanSeconds: 60 * 5 })).toHaveLength(1);
    expect(narrowingProblems(REQUEST, { vaultIds: ['v9'], actions: ['read'], lifespanSeconds: 300 })[0]).toMatch(/asked for/);
    expect(narrowingProblems(REQUEST, { vaultIds: ['v1'], actions: [], lifespanSeconds: 300 })[0]).toMatch(/action/);
    expect(narrowingProblems(REQUEST, { vaultIds: ['v1'], actions: ['read'], lifespanSeconds: 8 * 86_400 })[0]).toMatch(/longer/);
  });

  it('offers lifespans up to what was asked, never more', () => {
    expect(lifespanChoices(7 * 86_400)).toEqual([300, 3600, 86_400, 7 * 86_400]);
    expect(lifespanChoices(1800)).toEqual([300, 1800]);
    expect(lifespanChoices(300)).toEqual([300]);
  });
});
