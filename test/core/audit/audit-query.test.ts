import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditLedger } from '../../../src/core/audit/audit-ledger.js';
import { buildAuditQuery } from '../../../src/core/audit/audit-query.js';
import type { Database } from '../../../src/core/store/database.js';
import type { AuditQuery } from '../../../src/shared/model.js';
import { record, tempStore, type TempStore } from './audit-test-helpers.js';

let store: TempStore;
let db: Database;
let ledger: AuditLedger;

// 300 rows: agents a0..a2, vaults v0..v4, every 3rd refused, ts = 1000 * seq.
beforeAll(async () => {
  store = tempStore();
  db = store.open();
  let now = 0;
  ledger = new AuditLedger(db, { clock: () => now });
  for (let i = 1; i <= 300; i++) {
    now = i * 1000;
    await ledger.append(
      record({
        agent: `a${i % 3}`,
        tokenId: `t${i % 4}`,
        vaultId: `v${i % 5}`,
        action: i % 2 === 0 ? 'secret.read' : 'secret.use',
        actor: i % 10 === 0 ? 'person' : 'agent',
        outcome: i % 3 === 0 ? 'refused' : 'allowed',
        reason: i === 77 ? 'Rotate the PRODUCTION database' : `routine ${i}`,
      }),
    );
  }
});
afterAll(() => {
  store.cleanup();
});

function seqs(q: AuditQuery): number[] {
  return ledger.query(q).rows.map((r) => r.seq);
}

describe('AuditLedger.query', () => {
  it('returns the newest 50 rows first by default, with a cursor to the next page', () => {
    const page = ledger.query({});
    expect(page.rows).toHaveLength(50);
    expect(page.rows[0]?.seq).toBe(300);
    expect(page.rows.at(-1)?.seq).toBe(251);
    expect(page.nextBeforeSeq).toBe(251);
  });

  it('pages backwards with beforeSeq until the last page, which has no cursor', () => {
    const all: number[] = [];
    let beforeSeq: number | undefined;
    for (;;) {
      const page = ledger.query({ agent: 'a1', limit: 40, ...(beforeSeq === undefined ? {} : { beforeSeq }) });
      all.push(...page.rows.map((r) => r.seq));
      if (page.nextBeforeSeq === undefined) break;
      beforeSeq = page.nextBeforeSeq;
    }
    const expected = Array.from({ length: 300 }, (_, i) => 300 - i).filter((s) => s % 3 === 1);
    expect(all).toEqual(expected);
  });

  it('filters by agent, token, vault, action, outcome and actor, combined with AND', () => {
    expect(seqs({ agent: 'a2', limit: 500 }).every((s) => s % 3 === 2)).toBe(true);
    expect(seqs({ tokenId: 't3', limit: 500 })).toHaveLength(75);
    expect(seqs({ vaultId: 'v0', limit: 500 })).toHaveLength(60);
    expect(seqs({ action: 'secret.use', limit: 500 }).every((s) => s % 2 === 1)).toBe(true);
    expect(seqs({ outcome: 'refused', limit: 500 })).toHaveLength(100);
    expect(seqs({ actor: 'person', limit: 500 })).toHaveLength(30);
    expect(seqs({ vaultId: 'v0', outcome: 'refused', limit: 500 })).toEqual(
      Array.from({ length: 20 }, (_, i) => 300 - 15 * i),
    );
    expect(seqs({ agent: 'nobody' })).toEqual([]);
  });

  it('filters by time: since inclusive, until exclusive', () => {
    expect(seqs({ since: 10_000, until: 15_000 })).toEqual([14, 13, 12, 11, 10]);
  });

  it('searches reasons case-insensitively', () => {
    expect(seqs({ reasonContains: 'production' })).toEqual([77]);
    expect(seqs({ reasonContains: 'ROTATE the' })).toEqual([77]);
    expect(seqs({ reasonContains: 'routine 29', limit: 500 })).toEqual([299, 298, 297, 296, 295, 294, 293, 292, 291, 290, 29]);
  });

  it('refuses bad queries with invalid_request', () => {
    const bad: unknown[] = [
      { limit: 0 }, { limit: 501 }, { limit: 2.5 }, { beforeSeq: -1 }, { since: Number.NaN },
      { outcome: 'maybe' }, { actor: 'robot' }, { agent: 7 }, { reasonContains: 'x'.repeat(301) }, { agentName: 'a1' }, null,
    ];
    for (const q of bad) expect(() => ledger.query(q as AuditQuery)).toThrow(expect.objectContaining({ code: 'invalid_request' }));
    expect(ledger.query({ limit: 500 }).rows).toHaveLength(300);
  });

  it('uses an index for every indexed filter (EXPLAIN QUERY PLAN)', () => {
    const cases: [AuditQuery, string][] = [
      [{ agent: 'a1' }, 'audit_agent'],
      [{ tokenId: 't1', beforeSeq: 100 }, 'audit_token'],
      [{ vaultId: 'v1', since: 5 }, 'audit_vault'],
      [{ action: 'secret.read' }, 'audit_action'],
      [{ outcome: 'refused' }, 'audit_outcome'],
      [{ since: 1000, until: 5000 }, 'audit_ts'],
    ];
    for (const [q, index] of cases) {
      const built = buildAuditQuery(q);
      const plan = (db.prepare(`EXPLAIN QUERY PLAN ${built.sql}`).all(...built.params) as { detail: string }[]).map((r) => r.detail);
      expect(plan.some((line) => line.includes(`USING INDEX ${index}`)), `${JSON.stringify(q)} → ${plan.join('; ')}`).toBe(true);
      expect(plan.some((line) => /^SCAN audit\b(?!.*USING)/.test(line)), `${JSON.stringify(q)} scans the table`).toBe(false);
    }
  });
});
