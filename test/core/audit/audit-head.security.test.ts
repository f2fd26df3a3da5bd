/**
 * The signed audit head (docs/security.md): required checkpoints, a signed end, an unsigned tail
 * that is stated, and a ledger that will not sign over a table changed below its head.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AuditLedger } from '../../../src/core/audit/audit-ledger.js';
import { verifyAuditChain } from '../../../src/core/audit/audit-verifier.js';
import type { Database } from '../../../src/core/store/database.js';
import { appendN, ed25519Key, rehashFrom, tempStore, type TempStore, type TestKey } from './audit-test-helpers.js';

let store: TempStore;
let db: Database;
let key: TestKey;
let ledger: AuditLedger;

beforeEach(async () => {
  store = tempStore();
  db = store.open();
  key = ed25519Key();
  ledger = new AuditLedger(db, { checkpointEvery: 10, signer: key.signer });
  await appendN((r) => ledger.append(r), 34);
  await ledger.close(); // clean shutdown signs the head at row 34
});
afterEach(() => store.cleanup());

const verify = () => verifyAuditChain(db, key.verifier);
const head = () => db.prepare<[], { seq: number }>('SELECT seq FROM audit_head').get()?.seq;

describe('the signed audit head', () => {
  it('is signed at every checkpoint and at clean shutdown, so the whole log is covered', () => {
    expect(head()).toBe(34);
    expect(verify()).toEqual({ ok: true, rowsChecked: 34, checkpointsChecked: 3, lastSeq: 34, signedThrough: 34 });
  });

  it('rewriting row 13, recomputing later hashes and deleting the checkpoints from there fails, naming the rows', () => {
    db.prepare('UPDATE audit SET reason = ? WHERE seq = ?').run('nothing to see', 13);
    rehashFrom(db, ledger, 12);
    db.prepare('DELETE FROM audit_checkpoints WHERE seq >= ?').run(13);
    const result = verify();
    expect(result).toMatchObject({ ok: false, firstBadSeq: 11 });
    expect(result.problem).toBe('the signed checkpoint at row 20 is missing: a row from 11 to 20 may have been rewritten');
  });

  it('a missing checkpoint alone fails too', () => {
    db.prepare('DELETE FROM audit_checkpoints WHERE seq = ?').run(20);
    expect(verify()).toMatchObject({ ok: false, firstBadSeq: 11 });
  });

  it('deleting the last rows and their checkpoints fails: fewer rows than the signed head counts', () => {
    db.prepare('DELETE FROM audit WHERE seq > ?').run(18);
    db.prepare('DELETE FROM audit_checkpoints WHERE seq > ?').run(18);
    expect(verify()).toMatchObject({ ok: false, firstBadSeq: 19, problem: 'rows 19 to 34 are missing: the signed head shows the log had 34 rows' });
  });

  it('deleting the head as well fails while checkpoints remain', () => {
    db.prepare('DELETE FROM audit WHERE seq > ?').run(18);
    db.prepare('DELETE FROM audit_checkpoints WHERE seq > ?').run(18);
    db.prepare('DELETE FROM audit_head').run();
    expect(verify()).toMatchObject({ ok: false, problem: 'the signed audit head is missing: where the log ended cannot be proven' });
  });

  it('rows written without the key are reported as the unsigned tail, not silently OK', async () => {
    const locked = new AuditLedger(db, { checkpointEvery: 10 });
    await appendN((r) => locked.append(r), 8);
    await locked.close();
    expect(verify()).toEqual({ ok: true, rowsChecked: 42, checkpointsChecked: 3, lastSeq: 42, signedThrough: 34, unsignedTail: { from: 35, to: 42 } });
  });

  it('a ledger opened over a table rewritten below its head signs nothing new', async () => {
    db.prepare('DELETE FROM audit WHERE seq > ?').run(28);
    db.prepare('DELETE FROM audit_checkpoints WHERE seq > ?').run(28);
    const reopened = new AuditLedger(db, { checkpointEvery: 10, signer: key.signer });
    expect(reopened.headIntact).toBe(false);
    await appendN((r) => reopened.append(r), 12);
    await reopened.close();
    expect(head()).toBe(34);
    expect(db.prepare('SELECT max(seq) FROM audit_checkpoints').pluck().get()).toBe(20);
    expect(verify()).toMatchObject({ ok: false });
  });
});
