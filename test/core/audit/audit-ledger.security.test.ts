/** Attack tests 35 and 36 (docs/security.md) and the other ways an audit log gets tampered with. */
import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AuditLedger } from '../../../src/core/audit/audit-ledger.js';
import { verifyAuditChain } from '../../../src/core/audit/audit-verifier.js';
import type { Database } from '../../../src/core/store/database.js';
import { VkError } from '../../../src/shared/errors.js';
import { appendN, ed25519Key, record, rehashFrom, tempStore, type TempStore, type TestKey } from './audit-test-helpers.js';

let store: TempStore;
let db: Database;
let key: TestKey;
let ledger: AuditLedger;

beforeEach(async () => {
  store = tempStore();
  db = store.open();
  key = ed25519Key();
  ledger = new AuditLedger(db, { checkpointEvery: 10, signer: key.signer });
  await appendN((r) => ledger.append(r), 30);
});
afterEach(() => {
  store.cleanup();
});

function verify(): ReturnType<typeof verifyAuditChain> {
  return verifyAuditChain(db, key.verifier);
}

describe('audit verify names the first bad row', () => {
  it('passes an untouched log', () => {
    expect(verify()).toEqual({ ok: true, rowsChecked: 30, checkpointsChecked: 3, lastSeq: 30, signedThrough: 30 });
  });

  it('names a row whose reason was edited', () => {
    db.prepare('UPDATE audit SET reason = ? WHERE seq = ?').run('nothing to see here', 17);
    expect(verify()).toMatchObject({ ok: false, firstBadSeq: 17, problem: 'row 17 was altered', rowsChecked: 16, lastSeq: 16 });
  });

  it('names a row whose stored hash was replaced', () => {
    db.prepare('UPDATE audit SET hash = ? WHERE seq = ?').run(randomBytes(32), 4);
    expect(verify()).toMatchObject({ ok: false, firstBadSeq: 4, problem: 'row 4 was altered' });
  });

  it('names a row whose detail is no longer JSON', () => {
    db.prepare('UPDATE audit SET detail = ? WHERE seq = ?').run('{not json', 9);
    expect(verify()).toMatchObject({ ok: false, firstBadSeq: 9 });
    expect(ledger.get(9)?.detail).toBeNull();
  });

  it('names a deleted middle row', () => {
    db.prepare('DELETE FROM audit WHERE seq = ?').run(12);
    expect(verify()).toMatchObject({ ok: false, firstBadSeq: 12, problem: 'row 12 is missing' });
  });

  it('names a forged checkpoint signature', () => {
    db.prepare('UPDATE audit_checkpoints SET signature = ? WHERE seq = ?').run(randomBytes(64), 20);
    expect(verify()).toMatchObject({ ok: false, firstBadSeq: 20, problem: 'the checkpoint at row 20 has an invalid signature', checkpointsChecked: 1 });
  });

  it('refuses a checkpoint signed by another key', () => {
    const other = ed25519Key('test-key');
    expect(verifyAuditChain(db, other.verifier)).toMatchObject({ ok: false, firstBadSeq: 10 });
  });

  it('catches a chain rewritten after an edit at the next signed checkpoint', () => {
    db.prepare('UPDATE audit SET reason = ? WHERE seq = ?').run('rewritten', 13);
    rehashFrom(db, ledger, 12);
    expect(verify()).toMatchObject({ ok: false, firstBadSeq: 20 });
    expect(verify().problem).toMatch(/checkpoint at row 20 does not match the chain/);
  });

  it('catches rows cut off the end when a checkpoint covers them', () => {
    db.prepare('DELETE FROM audit WHERE seq > ?').run(25);
    expect(verify()).toMatchObject({ ok: false, firstBadSeq: 26, lastSeq: 25 });
    expect(verify().problem).toMatch(/rows from 26 on are missing/);
  });

  it('verifies from a later seq, trusting the row before it', () => {
    expect(verifyAuditChain(db, key.verifier, { fromSeq: 15 })).toEqual({ ok: true, rowsChecked: 16, checkpointsChecked: 2, lastSeq: 30, signedThrough: 30 });
    db.prepare('DELETE FROM audit WHERE seq = ?').run(14);
    expect(verifyAuditChain(db, key.verifier, { fromSeq: 15 })).toMatchObject({ ok: false, firstBadSeq: 14 });
  });
});

describe('audit write failures (attack test 35)', () => {
  it('rejects every waiter with audit_unavailable when the disk is full, then recovers', async () => {
    const headBefore = ledger.head();
    const pageCount = db.pragma('page_count', { simple: true }) as number;
    db.pragma(`max_page_count = ${pageCount + 1}`);
    const flood = Array.from({ length: 200 }, (_, i) => ledger.append(record({ reason: `${i} ${'x'.repeat(290)}` })));
    const results = await Promise.allSettled(flood);
    for (const r of results) {
      expect(r.status).toBe('rejected');
      const reason = (r as PromiseRejectedResult).reason as VkError;
      expect(reason).toBeInstanceOf(VkError);
      expect(reason.code).toBe('audit_unavailable');
      expect(reason.status).toBe(503);
      expect(reason.message).not.toContain('xxxx');
    }
    expect(ledger.head()).toEqual(headBefore);
    expect(ledger.count()).toBe(30);
    expect(ledger.pendingCheckpoints()).toEqual([]);
    expect(db.prepare('SELECT max(seq) AS s FROM audit_checkpoints').get()).toEqual({ s: 30 });

    db.pragma('max_page_count = 1073741823');
    const rows = await Promise.all(Array.from({ length: 15 }, (_, i) => ledger.append(record({ reason: `after ${i}` }))));
    expect(rows.map((r) => r.seq)).toEqual(Array.from({ length: 15 }, (_, i) => 31 + i));
    expect(verify()).toEqual({ ok: true, rowsChecked: 45, checkpointsChecked: 4, lastSeq: 45, signedThrough: 45 });
  });

  it('rejects with audit_unavailable when the database is closed', async () => {
    const pending = ledger.append(record());
    db.close();
    await expect(pending).rejects.toMatchObject({ code: 'audit_unavailable' });
  });
});

describe('the ledger refuses secrets in detail', () => {
  it.each(['password', 'Password', 'clientSecret', 'access_token', 'newValue', 'api-key', 'privateKey', 'passphrase'])(
    'refuses a detail key named %s, at any depth',
    async (name) => {
      const value = 'hunter2-very-secret';
      for (const detail of [{ [name]: value }, { outer: { list: [{ [name]: value }] } }]) {
        const attempt = ledger.append(record({ detail }));
        await expect(attempt).rejects.toMatchObject({ code: 'invalid_request' });
        await attempt.catch((e: unknown) => expect(String((e as Error).message)).not.toContain(value));
      }
      expect(ledger.count()).toBe(30);
    },
  );

  it('allows harmless keys that merely contain those words', async () => {
    await expect(ledger.append(record({ detail: { tokenCount: 2, parentTokenId: 'jti-0', userCode: 'BCDF-GHJK' } }))).resolves.toMatchObject({ seq: 31 });
  });

  it('refuses detail nested too deeply to check', async () => {
    let deep: Record<string, unknown> = { leaf: 1 };
    for (let i = 0; i < 40; i++) deep = { next: deep };
    await expect(ledger.append(record({ detail: deep }))).rejects.toMatchObject({ code: 'invalid_request' });
  });
});

/** What an attacker with write access would do: recompute every hash after an edit. */
