/** The ledger with its commits on a worker thread, as the daemon runs it: same chain, same durability, bigger batches. */
import { generateKeyPairSync, sign, verify } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { AuditLedger } from '../../../src/core/audit/audit-ledger.js';
import { verifyAuditChain } from '../../../src/core/audit/audit-verifier.js';
import { startAuditWriterThread } from '../../../src/core/audit/audit-writer-thread.js';
import { openDatabase } from '../../../src/core/store/database.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('AuditLedger with a writer thread', () => {
  it('commits concurrent appends in shared batches, durably, with a chain that verifies', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vk-writer-'));
    dirs.push(dir);
    const file = join(dir, 'valetkey.db');
    const db = openDatabase(file);
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const ledger = new AuditLedger(db, {
      checkpointEvery: 50,
      signer: { keyId: 'k', sign: (d) => sign(null, d, privateKey) },
      writer: startAuditWriterThread(file),
    });
    const rows = await Promise.all(
      Array.from({ length: 300 }, (_, i) => ledger.append({ actor: 'agent', agent: `a${i % 3}`, action: 'secret.read', outcome: 'allowed', reason: `r${i}` })),
    );
    expect(rows.map((r) => r.seq)).toEqual(Array.from({ length: 300 }, (_, i) => i + 1));
    // Another connection sees every acknowledged row: they were committed before the promises resolved.
    const reader = new BetterSqlite3(file, { readonly: true });
    expect(reader.prepare('SELECT count(*) FROM audit').pluck().get()).toBe(300);
    expect(reader.prepare('SELECT count(*) FROM audit_checkpoints').pluck().get()).toBe(6);
    reader.close();
    expect(ledger.stats().commits).toBeLessThan(300);
    // Later appends chain on, after an earlier batch finished; text of any kind arrives as it was sent.
    const text = 'quote " backslash \\ é 😀 \u2028 end';
    const odd = await ledger.append({ actor: 'person', action: 'vault.create', outcome: 'ok', reason: text, detail: { name: text, n: 2.5 } });
    await ledger.close();
    const stored = new BetterSqlite3(file, { readonly: true }).prepare<[number], { reason: string; detail: string }>('SELECT reason, detail FROM audit WHERE seq = ?').get(odd.seq);
    expect(stored?.reason).toBe(text);
    expect(JSON.parse(stored?.detail ?? '{}')).toEqual({ name: text, n: 2.5 });
    const verification = verifyAuditChain(db, (d, s) => verify(null, d, publicKey, s));
    expect(verification).toMatchObject({ ok: true, rowsChecked: 301, checkpointsChecked: 6 });
    db.close();
  });
});
