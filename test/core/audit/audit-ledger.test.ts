import { verify } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkpointMessage, GENESIS_HASH, rowHash, toHex } from '../../../src/core/audit/audit-chain.js';
import { AuditLedger } from '../../../src/core/audit/audit-ledger.js';
import { verifyAuditChain } from '../../../src/core/audit/audit-verifier.js';
import { openDatabase } from '../../../src/core/store/database.js';
import type { AuditRow } from '../../../src/shared/model.js';
import { appendN, ed25519Key, record, tempStore, type TempStore } from './audit-test-helpers.js';

let store: TempStore;
beforeEach(() => {
  store = tempStore();
});
afterEach(() => {
  store.cleanup();
});

interface CheckpointDbRow {
  readonly seq: number;
  readonly hash: Uint8Array;
  readonly key_id: string;
  readonly signature: Uint8Array;
}

describe('AuditLedger append', () => {
  it('stores a row with seq, ts and the chain hash, and reads it back', async () => {
    const ledger = new AuditLedger(store.open(), { clock: () => 1234.7 });
    const row = await ledger.append(record({ detail: { count: 2 } }));
    const { hash, ...chained } = row;
    expect(chained).toMatchObject({ seq: 1, ts: 1234, action: 'secret.read', agent: 'ci-bot', approvalId: null, detail: { count: 2 } });
    expect(hash).toBe(toHex(rowHash(GENESIS_HASH, chained)));
    expect(ledger.get(1)).toEqual(row);
    expect(ledger.get(2)).toBeUndefined();
    expect(ledger.count()).toBe(1);
    expect(ledger.head()).toEqual({ seq: 1, hash });
  });

  it('continues the chain across close and reopen', async () => {
    const db = store.open();
    const first = new AuditLedger(db);
    await appendN((r) => first.append(r), 10);
    const headBefore = first.head();
    db.close();

    const reopened = store.open();
    const second = new AuditLedger(reopened);
    expect(second.head()).toEqual(headBefore);
    const next = await second.append(record({ reason: 'after restart' }));
    expect(next.seq).toBe(11);
    const { hash, ...chained } = next;
    expect(hash).toBe(toHex(rowHash(Buffer.from(headBefore.hash, 'hex'), chained)));
    expect(verifyAuditChain(reopened, () => true)).toMatchObject({ ok: true, rowsChecked: 11, lastSeq: 11 });
  });

  it('group-commits 100 concurrent appends and resolves each only once its row is committed', async () => {
    const ledger = new AuditLedger(store.open());
    const reader = openDatabase(store.file, { readonly: true });
    const visibleAtResolve: boolean[] = [];
    const appends = Array.from({ length: 100 }, (_, i) =>
      ledger.append(record({ reason: `concurrent ${i}` })).then((row) => {
        // Another connection sees only committed data: the row must already be there.
        visibleAtResolve.push(reader.prepare('SELECT 1 FROM audit WHERE seq = ?').get(row.seq) !== undefined);
        return row;
      }),
    );
    const rows = await Promise.all(appends);
    reader.close();
    expect(rows.map((r) => r.seq).sort((a, b) => a - b)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
    expect(visibleAtResolve).toHaveLength(100);
    expect(visibleAtResolve.every(Boolean)).toBe(true);
    const stats = ledger.stats();
    expect(stats.rows).toBe(100);
    expect(stats.commits).toBeLessThanOrEqual(5);
    expect(ledger.count()).toBe(100);
  });

  it('commits one append per event-loop turn when appends are awaited one by one', async () => {
    const ledger = new AuditLedger(store.open());
    await appendN((r) => ledger.append(r), 5);
    expect(ledger.stats()).toEqual({ rows: 5, commits: 5, lastCommitRows: 1 });
  });

  it('appendMany writes its records in order in one transaction', async () => {
    const ledger = new AuditLedger(store.open());
    const rows = await ledger.appendMany([record({ reason: 'a' }), record({ reason: 'b' }), record({ reason: 'c' })]);
    expect(rows.map((r) => [r.seq, r.reason])).toEqual([[1, 'a'], [2, 'b'], [3, 'c']]);
    expect(ledger.stats()).toEqual({ rows: 3, commits: 1, lastCommitRows: 3 });
    expect(await ledger.appendMany([])).toEqual([]);
  });

  it('tells listeners after the commit, and stops when unsubscribed', async () => {
    const db = store.open();
    const ledger = new AuditLedger(db);
    const seen: number[][] = [];
    ledger.onAppend(() => {
      throw new Error('a broken listener must not break the ledger');
    });
    const stop = ledger.onAppend((rows: readonly AuditRow[]) => {
      const stored = db.prepare('SELECT count(*) AS n FROM audit').get() as { n: number };
      seen.push([...rows.map((r) => r.seq), stored.n]);
    });
    await Promise.all([ledger.append(record()), ledger.append(record())]);
    stop();
    await ledger.append(record());
    expect(seen).toEqual([[1, 2, 2]]);
  });

  it('refuses malformed records with invalid_request and writes nothing', async () => {
    const ledger = new AuditLedger(store.open());
    const bad = [
      record({ action: 'Secret Read' }),
      record({ action: '' }),
      record({ action: 'a'.repeat(65) }),
      record({ reason: 'r'.repeat(301) }),
      record({ agent: 'a'.repeat(101) }),
      record({ detail: { blob: 'x'.repeat(4097) } }),
      record({ detail: { list: [1, undefined] } }),
      { ...record(), actor: 'robot' } as unknown as ReturnType<typeof record>,
      { ...record(), outcome: 'maybe' } as unknown as ReturnType<typeof record>,
    ];
    for (const r of bad) await expect(ledger.append(r)).rejects.toMatchObject({ code: 'invalid_request' });
    await expect(ledger.append(record({ reason: 'r'.repeat(300), agent: 'a'.repeat(100), action: 'a'.repeat(64) }))).resolves.toMatchObject({ seq: 1 });
    expect(ledger.count()).toBe(1);
  });
});

describe('AuditLedger checkpoints', () => {
  it('signs a checkpoint every N rows, in the same commit', async () => {
    const db = store.open();
    const key = ed25519Key();
    const ledger = new AuditLedger(db, { checkpointEvery: 10, signer: key.signer });
    await Promise.all(Array.from({ length: 35 }, (_, i) => ledger.append(record({ reason: `r${i}` }))));
    const checkpoints = db.prepare('SELECT seq, hash, key_id, signature FROM audit_checkpoints ORDER BY seq').all() as CheckpointDbRow[];
    expect(checkpoints.map((c) => c.seq)).toEqual([10, 20, 30]);
    for (const c of checkpoints) {
      const rowHashHex = ledger.get(c.seq)?.hash ?? '';
      expect(toHex(c.hash)).toBe(rowHashHex);
      expect(c.key_id).toBe('test-key');
      expect(verify(null, checkpointMessage(c.seq, rowHashHex), key.publicKey, c.signature)).toBe(true);
    }
    expect(ledger.pendingCheckpoints()).toEqual([]);
    expect(verifyAuditChain(db, key.verifier)).toMatchObject({ ok: true, rowsChecked: 35, checkpointsChecked: 3 });
  });

  it('defers checkpoints while there is no signer and signs them on setSigner', async () => {
    const db = store.open();
    const key = ed25519Key();
    const ledger = new AuditLedger(db, { checkpointEvery: 5 });
    await appendN((r) => ledger.append(r), 12);
    expect(ledger.pendingCheckpoints()).toEqual([5, 10]);
    expect(db.prepare('SELECT count(*) AS n FROM audit_checkpoints').get()).toEqual({ n: 0 });

    ledger.setSigner(key.signer);
    expect(ledger.pendingCheckpoints()).toEqual([]);
    const seqs = (db.prepare('SELECT seq FROM audit_checkpoints ORDER BY seq').all() as { seq: number }[]).map((r) => r.seq);
    expect(seqs).toEqual([5, 10]);
    await appendN((r) => ledger.append(r), 3);
    expect(verifyAuditChain(db, key.verifier)).toMatchObject({ ok: true, rowsChecked: 15, checkpointsChecked: 3 });
  });

  it('finds checkpoints left unsigned by a previous run', async () => {
    const key = ed25519Key();
    const db = store.open();
    const firstRun = new AuditLedger(db, { checkpointEvery: 4 });
    await appendN((r) => firstRun.append(r), 9);
    db.close();

    const reopened = store.open();
    const locked = new AuditLedger(reopened, { checkpointEvery: 4 });
    expect(locked.pendingCheckpoints()).toEqual([4, 8]);
    const unlocked = new AuditLedger(reopened, { checkpointEvery: 4, signer: key.signer });
    expect(unlocked.pendingCheckpoints()).toEqual([]);
    expect(verifyAuditChain(reopened, key.verifier)).toMatchObject({ ok: true, checkpointsChecked: 2 });
  });

  it('keeps the checkpoint pending when the signer fails, and signs it on a later commit', async () => {
    const db = store.open();
    const key = ed25519Key();
    let failing = true;
    const flaky = {
      keyId: key.signer.keyId,
      sign(data: Uint8Array): Uint8Array {
        if (failing) throw new Error('signing key unavailable');
        return key.signer.sign(data);
      },
    };
    const ledger = new AuditLedger(db, { checkpointEvery: 3, signer: flaky });
    await appendN((r) => ledger.append(r), 4);
    expect(ledger.pendingCheckpoints()).toEqual([3]);
    failing = false;
    await ledger.append(record());
    expect(ledger.pendingCheckpoints()).toEqual([]);
    expect(verifyAuditChain(db, key.verifier)).toMatchObject({ ok: true, checkpointsChecked: 1 });
  });
});
