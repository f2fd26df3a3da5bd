/**
 * `audit verify --export` against altered exports: every kind of edit is caught and the first
 * bad row is named. The secret-free rows are real ledger rows from a real engine.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowHash, toHex, type ChainedRow } from '../../../src/core/audit/audit-chain.js';
import { openTestEngine, type TestEngine } from '../../helpers/engine-fixture.js';
import { agentRecord, readLines, tempDir, type TempDir } from './audit-out-fixture.js';

let t: TestEngine;
let out: TempDir;
let lines: string[];
let n = 0;

beforeAll(async () => {
  t = await openTestEngine({ checkpointEvery: 10 });
  out = tempDir();
  await t.engine.ledger.appendMany(Array.from({ length: 30 }, (_, i) => agentRecord(i + 1)));
  const path = join(out.dir, 'good.jsonl');
  await t.admin.exportAudit({ grant: t.grant, format: 'jsonl', path });
  lines = readFileSync(path, 'utf8').split('\n').filter((l) => l !== '');
});
afterAll(async () => {
  await t.close();
  out.cleanup();
});

async function check(content: string) {
  const path = join(out.dir, `case-${++n}.jsonl`);
  writeFileSync(path, content);
  return t.admin.verifyAuditExport({ path });
}

const edit = (index: number, change: (row: Record<string, unknown>) => Record<string, unknown>): string =>
  lines.map((l, i) => (i === index ? JSON.stringify(change(JSON.parse(l) as Record<string, unknown>)) : l)).join('\n') + '\n';

describe('verify --export (attacks)', () => {
  it('the untouched export verifies', async () => {
    expect((await check(lines.join('\n') + '\n')).ok).toBe(true);
  });

  it('an edited reason names that row', async () => {
    const r = await check(edit(8, (row) => ({ ...row, reason: 'innocent' })));
    expect(r).toMatchObject({ ok: false, firstBadSeq: 8 });
    expect(r.problem).toMatch(/row 8 was altered/);
  });

  it('an edited row with its hash recomputed (and the rest of the chain rewritten) differs from the ledger', async () => {
    const rows = readLines(lines.join('\n'));
    const [header, ...body] = rows;
    let prev = Buffer.from(String(header?.['prevHash']), 'hex');
    const rewritten = body.map((row) => {
      const changed = row['seq'] === 12 ? { ...row, reason: 'nothing happened here' } : row;
      const { hash: _h, checkpoint: _c, ...chained } = changed;
      const hash = rowHash(prev, chained as unknown as ChainedRow);
      prev = Buffer.from(hash);
      return { ...changed, hash: toHex(hash) };
    });
    const r = await check([header, ...rewritten].map((x) => JSON.stringify(x)).join('\n') + '\n');
    expect(r.ok).toBe(false);
    expect(r.firstBadSeq).toBe(12);
    expect(r.problem).toMatch(/differs from row 12 in the ledger/);
  });

  it('a dropped row, swapped rows and a cut-short file are each caught', async () => {
    const dropped = await check(lines.filter((_, i) => i !== 5).join('\n') + '\n');
    expect(dropped).toMatchObject({ ok: false, firstBadSeq: 5 });
    const swapped = [...lines];
    [swapped[3], swapped[4]] = [swapped[4] ?? '', swapped[3] ?? ''];
    expect((await check(swapped.join('\n') + '\n')).firstBadSeq).toBe(3);
    const short = await check(lines.slice(0, -3).join('\n') + '\n');
    expect(short.ok).toBe(false);
    expect(short.problem).toMatch(/cut short/);
  });

  it('a forged checkpoint signature and a header claiming another start are refused', async () => {
    const cpIndex = lines.findIndex((l) => l.includes('"checkpoint"'));
    const forged = await check(edit(cpIndex, (row) => ({ ...row, checkpoint: { ...(row['checkpoint'] as object), signature: Buffer.alloc(64, 7).toString('base64url') } })));
    expect(forged.ok).toBe(false);
    expect(forged.problem).toMatch(/checkpoint at row \d+ has an invalid signature/);
    const otherStart = await check(edit(0, (h) => ({ ...h, prevHash: 'ff'.repeat(32) })));
    expect(otherStart).toMatchObject({ ok: false, firstBadSeq: 0 });
  });

  it('a file that is not a JSON Lines export is named as such, and nothing is echoed', async () => {
    const csv = await check('seq,time\r\n1,2\r\n');
    expect(csv.ok).toBe(false);
    expect(csv.problem).toMatch(/not a Valetkey JSON Lines export/);
    expect(JSON.stringify(csv)).not.toContain('seq,time');
    const empty = await check('');
    expect(empty.problem).toMatch(/empty/);
    await expect(t.admin.verifyAuditExport({ path: join(out.dir, 'nope.jsonl') })).rejects.toMatchObject({ code: 'not_found' });
  });
});
