import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditRow } from '../../src/shared/model.js';
import { auditRowToCsv, auditRowToJsonLine, csvCell, CSV_COLUMNS, EXPORT_PAGE_SIZE, exportAudit, exportFileName } from '../../src/renderer/lib/audit-export.js';
import { openTestEngine, type TestEngine } from '../helpers/engine-fixture.js';

const INJECTION = '=HYPERLINK("http://evil.example","click")';

describe('CSV cells', () => {
  it('quotes what CSV needs quoted and doubles quotes', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('two\\u000alines');
    expect(csvCell(null)).toBe('');
    expect(csvCell(42)).toBe('42');
  });

  it('defuses cells a spreadsheet would run as a formula', () => {
    for (const lead of ['=', '+', '-', '@', '\t', '\r']) expect(csvCell(`${lead}1+1`).replace(/^"/, '')).toMatch(/^'/);
    expect(csvCell(INJECTION)).toBe(`"'=HYPERLINK(""http://evil.example"",""click"")"`);
  });
});

describe('audit export against the real engine', () => {
  let t: TestEngine;
  let total: number;

  beforeAll(async () => {
    t = await openTestEngine();
    // More than two export pages, so paging is exercised; one reason is hostile.
    const writes: Promise<unknown>[] = [];
    for (let i = 0; i < EXPORT_PAGE_SIZE * 2 + 37; i += 1) {
      writes.push(t.engine.audit({ actor: 'agent', agent: 'exporter', action: 'secret.read', outcome: i % 5 === 0 ? 'refused' : 'allowed', reason: i === 7 ? INJECTION : `job ${i}` }));
    }
    await Promise.all(writes);
    total = (await t.admin.verifyAudit({})).rowsChecked;
  });
  afterAll(async () => {
    await t.close();
  });

  it('JSON Lines holds every row once, newest first, exactly as the engine returned it', async () => {
    let progress = 0;
    const chunks = await exportAudit('jsonl', (q) => t.admin.queryAudit(q), {}, (n) => (progress = n));
    const rows = chunks.join('').trimEnd().split('\n').map((l) => JSON.parse(l) as AuditRow);
    expect(rows).toHaveLength(total);
    expect(progress).toBe(total);
    expect(new Set(rows.map((r) => r.seq)).size).toBe(total);
    expect(rows.every((r, i) => i === 0 || (rows[i - 1]?.seq ?? 0) > r.seq)).toBe(true);
    const newest = (await t.admin.queryAudit({ limit: 1 })).rows[0];
    expect(rows[0]).toEqual(newest);
  });

  it('CSV has the header and one line per matching row, with the filters applied', async () => {
    const chunks = await exportAudit('csv', (q) => t.admin.queryAudit(q), { agent: 'exporter', outcome: 'refused' });
    const text = chunks.join('');
    const lines = text.split('\r\n').filter((l) => l !== '');
    expect(lines[0]).toBe(CSV_COLUMNS.join(','));
    expect(lines).toHaveLength(1 + Math.ceil((EXPORT_PAGE_SIZE * 2 + 37) / 5));
    expect(lines.slice(1).every((l) => l.includes(',exporter,') && l.includes(',refused,'))).toBe(true);
  });

  it('writes the hostile reason defused', async () => {
    const { rows } = await t.admin.queryAudit({ reasonContains: 'HYPERLINK' });
    expect(rows).toHaveLength(1);
    const line = auditRowToCsv(rows[0] as AuditRow);
    expect(line).toContain(`"'=HYPERLINK(`);
    expect(line).not.toMatch(/,=HYPERLINK/);
  });

  it('puts vault and entry names beside the ids, in the last columns', () => {
    const row = { seq: 1, ts: 0, actor: 'agent', agent: 'a', tokenId: null, keyThumbprint: null, action: 'secret.read', vaultId: 'v1', entryId: 'e1', field: 'password', reason: 'r', outcome: 'allowed', errorCode: null, approvalId: null, detail: null, hash: 'h' } satisfies AuditRow;
    const names = { vaults: new Map([['v1', 'Accounting']]), entries: new Map([['e1', 'Bank, main']]) };
    expect(CSV_COLUMNS.slice(-2)).toEqual(['vaultName', 'entryTitle']);
    expect(auditRowToCsv(row, names).trimEnd().endsWith(',h,Accounting,"Bank, main"')).toBe(true);
    expect(JSON.parse(auditRowToJsonLine(row, names))).toMatchObject({ vaultId: 'v1', vaultName: 'Accounting', entryTitle: 'Bank, main' });
  });

  it('names files by format and time', () => {
    expect(exportFileName('jsonl', Date.UTC(2025, 0, 2, 3, 4, 5))).toBe('valetkey-audit-2025-01-02T03-04-05.jsonl');
    expect(exportFileName('csv', 0)).toMatch(/\.csv$/);
  });
});
