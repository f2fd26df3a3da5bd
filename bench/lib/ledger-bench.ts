/**
 * The audit ledger at scale: fill a ledger to N rows (real chain, real checkpoints), then measure
 * a filtered, paged Activity query (p95), export rate, verification rate and size per million rows.
 */
import { generateKeyPairSync, sign, verify } from 'node:crypto';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { AuditLedger } from '../../src/core/audit/audit-ledger.js';
import { verifyAuditChain } from '../../src/core/audit/audit-verifier.js';
import { openDatabase } from '../../src/core/store/database.js';
import { percentile } from './load.js';

export interface LedgerFigures {
  readonly rows: number;
  readonly fillSeconds: number;
  readonly queryP95ms: number;
  readonly exportRowsPerSecond: number;
  readonly verifyRowsPerSecond: number;
  readonly mbPerMillionRows: number;
}

const AGENTS = ['ci-bot', 'accounting-agent', 'coding-agent', 'report-script', 'deploy-bot'];

export async function ledgerBench(dir: string, rows: number, log: (s: string) => void): Promise<LedgerFigures> {
  const file = join(dir, `ledger-${rows}.db`);
  const db = openDatabase(file);
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const ledger = new AuditLedger(db, { signer: { keyId: 'bench', sign: (d) => sign(null, d, privateKey) } });
  const t0 = Date.now();
  const batch = 20_000;
  for (let done = 0; done < rows; done += batch) {
    const records = Array.from({ length: Math.min(batch, rows - done) }, (_, i) => {
      const n = done + i;
      return {
        actor: 'agent' as const,
        agent: AGENTS[n % AGENTS.length] ?? 'x',
        tokenId: `tok${n % 97}`,
        keyThumbprint: 'bench-thumbprint',
        action: n % 10 === 0 ? 'vault.list' : 'secret.read',
        vaultId: `vault${n % 13}`,
        entryId: `entry${n % 101}`,
        field: 'password',
        reason: n % 7 === 0 ? 'monthly invoice run' : 'deploy to staging',
        outcome: n % 50 === 0 ? ('refused' as const) : ('allowed' as const),
      };
    });
    await ledger.appendMany(records);
    if ((done / batch) % 50 === 0) log(`  ledger: ${done.toLocaleString()} / ${rows.toLocaleString()} rows`);
  }
  const fillSeconds = (Date.now() - t0) / 1000;

  const latencies: number[] = [];
  const now = Date.now();
  for (let i = 0; i < 200; i++) {
    const q = [
      { agent: AGENTS[i % AGENTS.length], limit: 50 },
      { vaultId: `vault${i % 13}`, outcome: 'refused' as const, limit: 50 },
      { tokenId: `tok${i % 97}`, since: now - 3_600_000, limit: 50 },
      { action: 'secret.read', reasonContains: 'invoice', limit: 50 },
    ][i % 4]!;
    const s = process.hrtime.bigint();
    const page = ledger.query(q);
    if (page.nextBeforeSeq) ledger.query({ ...q, beforeSeq: page.nextBeforeSeq });
    latencies.push(Number(process.hrtime.bigint() - s) / 1e6 / (page.nextBeforeSeq ? 2 : 1));
  }
  latencies.sort((a, b) => a - b);

  let t = Date.now();
  let exported = 0;
  let bytes = 0;
  for (const row of db.prepare('SELECT * FROM audit ORDER BY seq').iterate()) {
    bytes += JSON.stringify(row, (_k, v) => (Buffer.isBuffer(v) ? v.toString('hex') : v)).length + 1;
    exported++;
  }
  const exportRowsPerSecond = exported / ((Date.now() - t) / 1000);

  t = Date.now();
  const verification = verifyAuditChain(db, (data, signature) => verify(null, data, publicKey, signature));
  if (!verification.ok) throw new Error(`bench ledger does not verify: ${verification.problem}`);
  const verifyRowsPerSecond = verification.rowsChecked / ((Date.now() - t) / 1000);
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  const size = statSync(file).size;
  log(`  ledger ${rows.toLocaleString()}: export wrote ${(bytes / 1e6).toFixed(0)} MB of JSON`);
  return { rows, fillSeconds, queryP95ms: percentile(latencies, 0.95), exportRowsPerSecond, verifyRowsPerSecond, mbPerMillionRows: size / 1e6 / (rows / 1e6) };
}
