import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUDIT_PAGE_SIZE, auditPages } from '../../src/renderer/lib/audit-pages.js';
import type { AuditRow } from '../../src/shared/model.js';
import { openTestEngine, type TestEngine } from '../helpers/engine-fixture.js';

describe('auditPages against the real engine', () => {
  let t: TestEngine;

  beforeAll(async () => {
    t = await openTestEngine();
    // More than two pages, so paging past the first is exercised.
    await Promise.all(Array.from({ length: AUDIT_PAGE_SIZE * 2 + 37 }, (_, i) => t.engine.audit({ actor: 'agent', agent: 'pager', action: 'secret.read', outcome: 'allowed', reason: `job ${i}` })));
  });
  afterAll(async () => {
    await t.close();
  });

  it('yields every matching row once, newest first, then stops', async () => {
    const rows: AuditRow[] = [];
    for await (const page of auditPages((q) => t.admin.queryAudit(q), { agent: 'pager' })) rows.push(...page);
    expect(rows).toHaveLength(AUDIT_PAGE_SIZE * 2 + 37);
    expect(new Set(rows.map((r) => r.seq)).size).toBe(rows.length);
    expect(rows.every((r, i) => i === 0 || (rows[i - 1]?.seq ?? 0) > r.seq)).toBe(true);
  });
});
