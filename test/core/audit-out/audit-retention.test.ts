/**
 * Retention on a real engine: rows past the policy go to a signed archive, then are deleted; the
 * chain still verifies from the signed anchor, the archive verifies alone (and against the
 * engine), and the ledger keeps going after a restart.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { retentionCut } from '../../../src/core/audit-out/retention-policy.js';
import { offlineReference, verifyExportFile } from '../../../src/core/audit-out/verify-export-file.js';
import { openTestEngine, type TestEngine } from '../../helpers/engine-fixture.js';
import { agentRecord, readLines } from './audit-out-fixture.js';

const DAY = 86_400_000;
let t: TestEngine;
const clock = { now: Date.UTC(2031, 0, 1) };

beforeEach(async () => {
  clock.now = Date.UTC(2031, 0, 1);
  t = await openTestEngine({ checkpointEvery: 10, clock: () => clock.now });
  await t.engine.ledger.appendMany(Array.from({ length: 60 }, (_, i) => agentRecord(i + 1)));
});
afterEach(async () => {
  await t.close();
});

const rowCount = () => t.engine.db.prepare('SELECT count(*) FROM audit').pluck().get() as number;

describe('audit retention', () => {
  it('keeps N rows: archives the rest (signed), deletes them, and the chain verifies from the anchor', async () => {
    const headBefore = t.engine.ledger.head();
    await t.admin.setAuditRetention({ grant: t.grant, keepDays: null, keepRows: 15 });
    const run = await t.admin.runAuditRetention({ grant: t.grant });
    const cut = headBefore.seq + 1 - 15; // the setAuditRetention row counts too
    expect(run).toMatchObject({ deleted: cut, anchorSeq: cut, archive: { fromSeq: 1, toSeq: cut } });
    const info = await t.admin.getAuditRetention({});
    expect(info).toMatchObject({ keepRows: 15, keepDays: null, anchor: { seq: cut }, archives: [{ fromSeq: 1, toSeq: cut }] });

    expect(t.engine.db.prepare('SELECT min(seq) FROM audit').pluck().get()).toBe(cut + 1);
    const verification = await t.admin.verifyAudit({});
    expect(verification).toMatchObject({ ok: true, anchorSeq: cut, lastSeq: t.engine.ledger.head().seq });

    const archivePath = join(info.archiveDir, run.archive?.file ?? '');
    expect(existsSync(`${archivePath}.sig`)).toBe(true);
    const [header, ...rows] = readLines(readFileSync(archivePath, 'utf8'));
    expect(header).toMatchObject({ fromSeq: 1, toSeq: cut, rows: cut, prevHash: '0'.repeat(64) });
    expect(rows).toHaveLength(cut);

    const online = await t.admin.verifyAuditExport({ path: archivePath });
    expect(online).toMatchObject({ ok: true, rowsArchived: cut, rowsMatchedLedger: 0, archiveSignature: 'valid', keyId: t.engine.signer?.keyId });
    const alone = await verifyExportFile(archivePath, offlineReference);
    expect(alone).toMatchObject({ ok: true, rowsChecked: cut, archiveSignature: 'valid', keyId: t.engine.signer?.keyId });

    const rowsAudit = t.engine.ledger.query({ action: 'audit.retention' }).rows;
    expect(rowsAudit[0]?.detail).toMatchObject({ fromSeq: 1, toSeq: cut, rows: cut });
  });

  it('runs again later from the anchor, and an export spanning the cut still verifies', async () => {
    await t.admin.setAuditRetention({ grant: t.grant, keepDays: null, keepRows: 20 });
    const first = await t.admin.runAuditRetention({ grant: t.grant });
    await t.engine.ledger.appendMany(Array.from({ length: 25 }, (_, i) => agentRecord(200 + i)));
    const second = await t.admin.runAuditRetention({ grant: t.grant });
    expect(second.archive?.fromSeq).toBe((first.anchorSeq ?? 0) + 1);
    expect(rowCount()).toBe(t.engine.ledger.head().seq - (second.anchorSeq ?? 0));
    expect((await t.admin.verifyAudit({})).ok).toBe(true);
    const info = await t.admin.getAuditRetention({});
    expect(info.archives).toHaveLength(2);
    for (const a of info.archives) expect((await t.admin.verifyAuditExport({ path: join(info.archiveDir, a.file) })).ok).toBe(true);
  });

  it('keeps N days, by the rows’ own time', async () => {
    clock.now += 10 * DAY;
    await t.engine.ledger.appendMany(Array.from({ length: 5 }, (_, i) => agentRecord(500 + i)));
    const old = t.engine.ledger.head().seq - 5;
    await t.admin.setAuditRetention({ grant: t.grant, keepDays: 7, keepRows: null });
    const run = await t.admin.runAuditRetention({ grant: t.grant });
    expect(run.anchorSeq).toBe(old);
    expect((await t.admin.verifyAudit({})).ok).toBe(true);
  });

  it('keeps what an enabled sink has not delivered, and never the newest row', async () => {
    const head = t.engine.ledger.head().seq;
    t.engine.auditSinks.insert({ id: 'a'.repeat(26), name: 'slow', config: { kind: 'syslog', transport: 'udp', host: '127.0.0.1', port: 9 }, sealedCredential: null, enabled: true, cursorSeq: 12 });
    expect(retentionCut(t.engine.ledger.rows, { keepDays: null, keepRows: 1 }, clock.now, { anchorSeq: 0, sinkCursor: t.engine.auditSinks.minEnabledCursor() })).toBe(12);
    expect(retentionCut(t.engine.ledger.rows, { keepDays: 1, keepRows: null }, clock.now + 100 * DAY, { anchorSeq: 0, sinkCursor: undefined })).toBe(head - 1);
    expect(retentionCut(t.engine.ledger.rows, { keepDays: null, keepRows: null }, clock.now, { anchorSeq: 3, sinkCursor: undefined })).toBe(3);
  });

  it('survives a restart: the head and the anchor come back, and new rows chain on', async () => {
    await t.admin.setAuditRetention({ grant: t.grant, keepDays: null, keepRows: 1 });
    const run = await t.admin.runAuditRetention({ grant: t.grant });
    expect(rowCount()).toBe(1 + 1); // the newest row kept, plus the retention row itself
    const dir = t.dir;
    const reopened = await (await import('../../../src/core/engine.js')).Engine.open({ dataDir: dir, keyStore: t.engine.keyStore, checkpointEvery: 10 });
    try {
      expect(reopened.ledger.head()).toEqual(t.engine.ledger.head());
    } finally {
      await reopened.close();
    }
    await t.engine.ledger.appendMany(Array.from({ length: 12 }, (_, i) => agentRecord(900 + i)));
    const v = await t.admin.verifyAudit({});
    expect(v).toMatchObject({ ok: true, anchorSeq: run.anchorSeq });
  });
});

describe('audit retention (attacks)', () => {
  it('refuses to archive and delete a chain that does not verify: nothing is deleted', async () => {
    t.engine.db.prepare("UPDATE audit SET reason = 'nothing to see' WHERE seq = 7").run();
    await t.admin.setAuditRetention({ grant: t.grant, keepDays: null, keepRows: 5 });
    const before = rowCount();
    await expect(t.admin.runAuditRetention({ grant: t.grant })).rejects.toMatchObject({ code: 'integrity_error' });
    expect(rowCount()).toBe(before);
    expect((await t.admin.getAuditRetention({})).anchor).toBeNull();
  });

  it('a forged anchor, or one moved to another row, fails verification', async () => {
    await t.admin.setAuditRetention({ grant: t.grant, keepDays: null, keepRows: 10 });
    const run = await t.admin.runAuditRetention({ grant: t.grant });
    t.engine.db.prepare('UPDATE audit_anchor SET seq = seq + 1').run();
    const moved = await t.admin.verifyAudit({});
    expect(moved.ok).toBe(false);
    expect(moved.problem).toMatch(/anchor/);
    t.engine.db.prepare('UPDATE audit_anchor SET seq = ?, hash = randomblob(32)').run(run.anchorSeq);
    expect((await t.admin.verifyAudit({})).ok).toBe(false);
    t.engine.db.prepare('DELETE FROM audit_anchor').run();
    const gone = await t.admin.verifyAudit({});
    expect(gone).toMatchObject({ ok: false, firstBadSeq: 1 });
  });

  it('an altered archive fails alone and against the engine; so does an archive with another key’s .sig', async () => {
    await t.admin.setAuditRetention({ grant: t.grant, keepDays: null, keepRows: 10 });
    const run = await t.admin.runAuditRetention({ grant: t.grant });
    const info = await t.admin.getAuditRetention({});
    const path = join(info.archiveDir, run.archive?.file ?? '');
    const original = readFileSync(path, 'utf8');
    const victim = readLines(original).find((r) => r['reason'] === 'deploy build 3');
    writeFileSync(path, original.replace('"reason":"deploy build 3"', '"reason":"deploy build 4"'));
    const alone = await verifyExportFile(path, offlineReference);
    expect(alone).toMatchObject({ ok: false, firstBadSeq: victim?.['seq'] });
    expect(alone.problem).toMatch(/altered/);
    expect((await t.admin.verifyAuditExport({ path })).ok).toBe(false);

    // Rewrite the whole archive consistently and re-sign with a key of our own: the chain recomputes,
    // but the engine's stored checkpoints and anchor, and the engine key, say no.
    writeFileSync(path, original);
    const sig = JSON.parse(readFileSync(`${path}.sig`, 'utf8')) as { signature: string };
    writeFileSync(`${path}.sig`, JSON.stringify({ ...sig, signature: Buffer.alloc(64, 1).toString('base64url') }));
    expect((await verifyExportFile(path, offlineReference)).archiveSignature).toBe('invalid');
    const online = await t.admin.verifyAuditExport({ path });
    expect(online).toMatchObject({ ok: false, archiveSignature: 'invalid' });
  });
});
