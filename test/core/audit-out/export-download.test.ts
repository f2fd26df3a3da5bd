/**
 * The dashboard's download (downloadAuditExport) is the engine's export, not a copy of it: the
 * JSON Lines text passes `audit verify --export`, the CSV is the file export with the documented
 * columns (plus vault and entry names at the end), and it is read-class (no grant) and bounded.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_METHODS } from '../../../src/shared/admin-api.js';
import { AUDIT_DOWNLOAD_MAX_ROWS } from '../../../src/shared/model.js';
import { CSV_COLUMNS } from '../../../src/core/audit-out/csv-format.js';
import { openTestEngine, type TestEngine } from '../../helpers/engine-fixture.js';
import { agentRecord, fillLedger, readLines, tempDir, type TempDir } from './audit-out-fixture.js';

let t: TestEngine;
let out: TempDir;

beforeAll(async () => {
  t = await openTestEngine({ checkpointEvery: 10 });
  out = tempDir();
  const vault = await t.person.createVault({ grant: t.grant, vault: { name: 'Accounting' } });
  await t.person.createEntry({ grant: t.grant, vaultId: vault.id, entry: { title: 'Bank, main', kind: 'note', fields: {} } });
  await t.engine.ledger.appendMany(Array.from({ length: 45 }, (_, i) => agentRecord(i + 1, i === 6 ? { reason: '=HYPERLINK("http://evil.example","x")' } : {})));
});
afterAll(async () => {
  await t.close();
  out.cleanup();
});

describe('downloadAuditExport', () => {
  it('is read-class: no grant is asked, and it writes no file', () => {
    expect(ADMIN_METHODS.downloadAuditExport).toBe('read');
  });

  it('JSON Lines, fetched without a grant, passes the engine’s export verifier', async () => {
    const file = await t.admin.downloadAuditExport({ format: 'jsonl' });
    const head = t.engine.ledger.head();
    expect(file).toMatchObject({ format: 'jsonl', rows: head.seq, fromSeq: 1, toSeq: head.seq, lastHash: head.hash, contentType: 'application/x-ndjson' });
    expect(file.fileName).toMatch(/^valetkey-audit-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d\.jsonl$/);
    const path = join(out.dir, file.fileName);
    writeFileSync(path, file.content);
    const check = await t.admin.verifyAuditExport({ path });
    expect(check).toMatchObject({ ok: true, rowsChecked: head.seq, rowsMatchedLedger: head.seq, checkpointsChecked: Math.floor(head.seq / 10) });
    // Names ride beside the ids where known; the verifier reads the chained fields alone.
    expect(readLines(file.content).filter((r) => r['entryTitle'] === 'Bank, main' && r['vaultName'] === 'Accounting')).not.toHaveLength(0);
  });

  it('a filtered JSON Lines download verifies too (non-contiguous, each row against the ledger)', async () => {
    const file = await t.admin.downloadAuditExport({ format: 'jsonl', filter: { agent: 'deploy-bot' } });
    expect(file.contiguous).toBe(false);
    const path = join(out.dir, 'filtered.jsonl');
    writeFileSync(path, file.content);
    expect(await t.admin.verifyAuditExport({ path })).toMatchObject({ ok: true, rowsChecked: file.rows, contiguous: false });
    expect(file.rows).toBeGreaterThan(0);
  });

  it('an edited download no longer verifies (the check above can fail)', async () => {
    const file = await t.admin.downloadAuditExport({ format: 'jsonl' });
    const path = join(out.dir, 'edited.jsonl');
    const target = file.content.split('\n').find((l) => l.includes('"deploy build 9"')) ?? '';
    const seq = (JSON.parse(target) as { seq: number }).seq;
    writeFileSync(path, file.content.replace('"deploy build 9"', '"deploy build 99"'));
    expect(await t.admin.verifyAuditExport({ path })).toMatchObject({ ok: false, firstBadSeq: seq });
  });

  it('CSV is the engine’s file export (the documented 18 columns), then vault and entry names', async () => {
    const file = await t.admin.downloadAuditExport({ format: 'csv' });
    const path = join(out.dir, 'file.csv');
    await t.admin.exportAudit({ grant: t.grant, format: 'csv', path });
    const fileLines = readFileSync(path, 'utf8').split('\r\n');
    const lines = file.content.split('\r\n').filter((l) => l !== '');
    expect(fileLines[0]).toBe('seq,time,ts_ms,actor,agent,token_id,key_thumbprint,action,vault_id,entry_id,field,reason,outcome,error_code,approval_id,detail,hash,prev_hash');
    expect(lines[0]).toBe(`${fileLines[0]},vault_name,entry_title`);
    expect(lines.every((l, i) => l.startsWith(`${fileLines[i]},`))).toBe(true);
    expect(lines.filter((l) => l.endsWith(',Accounting,"Bank, main"'))).not.toHaveLength(0);
    expect(CSV_COLUMNS).toHaveLength(18);
    expect(lines).toHaveLength(1 + file.rows);
    expect(lines.filter((l) => l.includes('HYPERLINK'))).toEqual([expect.stringContaining(`,"'=HYPERLINK(`)]);
    expect(file.contentType).toMatch(/^text\/csv/);
  });

  it('past the row bound it refuses with export_too_large, pointing to `valetkey audit export`', async () => {
    const signer = t.engine.signer;
    if (signer === undefined) throw new Error('the test engine is unlocked, so it has a signer');
    fillLedger(t.engine.db, AUDIT_DOWNLOAD_MAX_ROWS, { signer, every: 1000 });
    await expect(t.admin.downloadAuditExport({ format: 'csv' })).rejects.toMatchObject({ code: 'export_too_large', message: expect.stringMatching(/valetkey audit export/) });
    // Narrowed below the bound, the same ledger downloads again.
    const narrowed = await t.admin.downloadAuditExport({ format: 'csv', toSeq: AUDIT_DOWNLOAD_MAX_ROWS });
    expect(narrowed.rows).toBe(AUDIT_DOWNLOAD_MAX_ROWS);
  });
});
