/**
 * Exports from a real engine: the JSON Lines header names the chain range, the rows verify
 * against the ledger, filters and time bounds work, and the file is new, 0600, never overwritten.
 */
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openTestEngine, type TestEngine } from '../../helpers/engine-fixture.js';
import { agentRecord, readLines, tempDir, type TempDir } from './audit-out-fixture.js';

let t: TestEngine;
let out: TempDir;

beforeEach(async () => {
  t = await openTestEngine({ checkpointEvery: 10 });
  out = tempDir();
  await t.engine.ledger.appendMany(Array.from({ length: 45 }, (_, i) => agentRecord(i + 1)));
});
afterEach(async () => {
  await t.close();
  out.cleanup();
});

describe('audit export (JSON Lines)', () => {
  it('starts with a header naming the chain range, carries every row with its hash and checkpoints, and verifies', async () => {
    const path = join(out.dir, 'all.jsonl');
    const summary = await t.admin.exportAudit({ grant: t.grant, format: 'jsonl', path });
    const head = t.engine.ledger.head();
    expect(summary).toMatchObject({ rows: head.seq, fromSeq: 1, toSeq: head.seq, prevHash: '0'.repeat(64), lastHash: head.hash, contiguous: true, path });
    const [header, ...rows] = readLines(readFileSync(path, 'utf8'));
    expect(header).toMatchObject({ type: 'valetkey-audit-export', version: 1, format: 'jsonl', fromSeq: 1, toSeq: head.seq, rows: head.seq, prevHash: '0'.repeat(64), lastHash: head.hash });
    expect(rows.map((r) => r['seq'])).toEqual(Array.from({ length: head.seq }, (_, i) => i + 1));
    expect(rows[4]).toMatchObject({ seq: 5, hash: t.engine.ledger.get(5)?.hash, reason: t.engine.ledger.get(5)?.reason });
    expect(rows.filter((r) => r['checkpoint'] !== undefined).map((r) => r['seq'])).toEqual([10, 20, 30, 40]);
    expect(statSync(path).mode & 0o777).toBe(0o600);

    const check = await t.admin.verifyAuditExport({ path });
    expect(check).toMatchObject({ ok: true, rowsChecked: head.seq, rowsMatchedLedger: head.seq, rowsArchived: 0, checkpointsChecked: 4, archiveSignature: 'absent' });
    expect(check.keyId).toBe(t.engine.signer?.keyId);
  });

  it('exports a seq range and a time range as contiguous, checkable pieces of the chain', async () => {
    const range = join(out.dir, 'range.jsonl');
    const s = await t.admin.exportAudit({ grant: t.grant, format: 'jsonl', path: range, fromSeq: 12, toSeq: 20 });
    expect(s).toMatchObject({ fromSeq: 12, toSeq: 20, rows: 9, prevHash: t.engine.ledger.get(11)?.hash, lastHash: t.engine.ledger.get(20)?.hash, contiguous: true });
    expect((await t.admin.verifyAuditExport({ path: range })).ok).toBe(true);

    const since = t.engine.ledger.get(30)?.ts ?? 0;
    const timed = join(out.dir, 'timed.jsonl');
    const s2 = await t.admin.exportAudit({ grant: t.grant, format: 'jsonl', path: timed, filter: { since } });
    expect(s2.contiguous).toBe(true);
    expect(s2.fromSeq).toBeLessThanOrEqual(30);
    expect(s2.toSeq).toBe(t.engine.ledger.head().seq);
    expect((await t.admin.verifyAuditExport({ path: timed })).ok).toBe(true);
  });

  it('filters like the Activity page; a filtered export still checks row by row against the ledger', async () => {
    const path = join(out.dir, 'refused.jsonl');
    const s = await t.admin.exportAudit({ grant: t.grant, format: 'jsonl', path, filter: { outcome: 'refused', agent: 'ci-bot' } });
    const rows = readLines(readFileSync(path, 'utf8')).slice(1);
    expect(s.contiguous).toBe(false);
    expect(rows.length).toBe(s.rows);
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) expect(r).toMatchObject({ outcome: 'refused', agent: 'ci-bot' });
    const check = await t.admin.verifyAuditExport({ path });
    expect(check).toMatchObject({ ok: true, contiguous: false, rowsMatchedLedger: rows.length });
  });

  it('writes CSV, CEF and OCSF through the same code, and refuses to overwrite a file', async () => {
    for (const format of ['csv', 'cef', 'ocsf'] as const) {
      const path = join(out.dir, `all.${format}`);
      const s = await t.admin.exportAudit({ grant: t.grant, format, path, filter: { action: 'secret.read' } });
      const text = readFileSync(path, 'utf8');
      const lines = text.split(format === 'csv' ? '\r\n' : '\n').filter((l) => l !== '');
      expect(lines.length).toBe(format === 'csv' ? s.rows + 1 : s.rows);
    }
    const taken = join(out.dir, 'taken.csv');
    writeFileSync(taken, 'keep me');
    await expect(t.admin.exportAudit({ grant: t.grant, format: 'csv', path: taken })).rejects.toMatchObject({ code: 'conflict' });
    expect(readFileSync(taken, 'utf8')).toBe('keep me');
    await expect(t.admin.exportAudit({ grant: t.grant, format: 'csv', path: 'relative.csv' })).rejects.toMatchObject({ code: 'invalid_request' });
    await expect(t.admin.exportAudit({ grant: t.grant, format: 'xml' as 'csv', path: join(out.dir, 'x') })).rejects.toMatchObject({ code: 'invalid_request' });
  });

  it('keeps to one snapshot while the engine goes on appending', async () => {
    const path = join(out.dir, 'busy.jsonl');
    const before = t.engine.ledger.head().seq;
    const appending = t.engine.ledger.appendMany(Array.from({ length: 30 }, (_, i) => agentRecord(100 + i)));
    const s = await t.admin.exportAudit({ grant: t.grant, format: 'jsonl', path });
    await appending;
    const rows = readLines(readFileSync(path, 'utf8')).slice(1);
    expect(rows.length).toBe(s.rows);
    expect(s.toSeq).toBeGreaterThanOrEqual(before);
    expect(rows.at(-1)?.['seq']).toBe(s.toSeq);
    expect((await t.admin.verifyAuditExport({ path })).ok).toBe(true);
  });
});
