import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chartSpan, EMPTY_FILTERS, timeWindow, toAuditQuery, type AuditFilters } from '../../src/renderer/lib/audit-filters.js';
import { openTestEngine, type TestEngine } from '../helpers/engine-fixture.js';

const NOW = Date.UTC(2025, 5, 1, 12, 0, 0);

describe('audit filters to query', () => {
  it('leaves out everything empty and trims text', () => {
    expect(toAuditQuery({ ...EMPTY_FILTERS, range: 'all' }, NOW)).toEqual({});
    const f: AuditFilters = { ...EMPTY_FILTERS, agent: ' bot ', action: 'secret.read', outcome: 'refused', search: ' deploy ', tokenId: 't1', vaultId: 'v1', range: '1h' };
    expect(toAuditQuery(f, NOW)).toEqual({
      agent: 'bot',
      action: 'secret.read',
      outcome: 'refused',
      reasonContains: 'deploy',
      tokenId: 't1',
      vaultId: 'v1',
      since: NOW - 3_600_000,
    });
  });

  it('reads a custom range as local time and allows either end open', () => {
    const from = '2025-05-01T08:30';
    expect(timeWindow({ ...EMPTY_FILTERS, range: 'custom', from, to: '' }, NOW)).toEqual({ since: new Date(from).getTime() });
    expect(timeWindow({ ...EMPTY_FILTERS, range: 'custom', from: '', to: 'garbage' }, NOW)).toEqual({});
  });

  it('gives the chart a span even for open ranges', () => {
    expect(chartSpan({ ...EMPTY_FILTERS, range: '24h' }, NOW, undefined)).toEqual({ since: NOW - 86_400_000, until: NOW });
    expect(chartSpan({ ...EMPTY_FILTERS, range: 'all' }, NOW, NOW - 5000)).toEqual({ since: NOW - 60_000, until: NOW });
    expect(chartSpan({ ...EMPTY_FILTERS, range: 'all' }, NOW, NOW - 7_200_000)).toEqual({ since: NOW - 7_200_000, until: NOW });
  });
});

describe('audit filters against the real ledger', () => {
  let t: TestEngine;

  beforeAll(async () => {
    t = await openTestEngine();
    await Promise.all([
      t.engine.audit({ actor: 'agent', agent: 'alpha', action: 'secret.read', outcome: 'allowed', reason: 'Deploying staging' }),
      t.engine.audit({ actor: 'agent', agent: 'alpha', action: 'secret.read', outcome: 'refused', errorCode: 'insufficient_scope', reason: 'Reading payroll' }),
      t.engine.audit({ actor: 'agent', agent: 'beta', action: 'vault.list', outcome: 'allowed' }),
    ]);
  });
  afterAll(async () => {
    await t.close();
  });

  it('each filter narrows to exactly the rows it names', async () => {
    const now = Date.now();
    const run = async (f: Partial<AuditFilters>) => (await t.admin.queryAudit(toAuditQuery({ ...EMPTY_FILTERS, ...f }, now + 1000))).rows;
    expect((await run({ agent: 'alpha' })).map((r) => r.reason)).toEqual(['Reading payroll', 'Deploying staging']);
    expect((await run({ agent: 'alpha', outcome: 'refused' })).map((r) => r.errorCode)).toEqual(['insufficient_scope']);
    expect((await run({ search: 'STAGING' })).map((r) => r.agent)).toEqual(['alpha']);
    expect((await run({ action: 'vault.list' })).map((r) => r.agent)).toEqual(['beta']);
    expect(await run({ range: 'custom', to: '2000-01-01T00:00' })).toEqual([]);
  });
});
