/**
 * `npm run bench`: the engine against a bare-Node baseline, same machine, same run, same load
 * generator. Writes bench/results.md (a table) and bench/results.json. Targets are reported, never
 * asserted (the machine is shared and noisy). `--quick` skips the 10-million-row ledger.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { readAdminInfo } from '../src/core/daemon/admin-info.js';
import { createHttpAdminClient } from '../src/shared/admin-client/http-admin-client.js';
import { enroll, resolveRequests } from './lib/agent.js';
import { BASELINE_KEY, startBaseline } from './lib/baseline-server.js';
import { newDpopKey } from './lib/dpop.js';
import { cli, PASSPHRASE, startEngine } from './lib/engine-process.js';
import { ledgerBench, type LedgerFigures } from './lib/ledger-bench.js';
import { runLoad, type LoadResult, type PreparedRequest, type Target } from './lib/load.js';
import { approvalRoundTrip, tokenTimings } from './lib/flows.js';

const quick = process.argv.includes('--quick');
const log = (s: string) => process.stderr.write(`${s}\n`);
const CONCURRENCY = [1, 16, 64] as const;
const PER_RUN = (c: number) => Math.max(2000, c * 150);

interface Row {
  readonly server: 'engine' | 'baseline';
  readonly transport: 'tcp' | 'socket';
  readonly concurrency: number;
  readonly result: LoadResult;
}

async function main(): Promise<void> {
  const home = mkdtempSync(join(tmpdir(), 'vk-bench-'));
  try {
    log('bench: setting up an engine (passphrase key file) …');
    if (cli(home, ['init', '--key-file'], `${PASSPHRASE}\n`).code !== 0) throw new Error('init failed');
    const engine = await startEngine(home);
    const idleMb = engine.rssMb();
    const info = readAdminInfo(join(home, 'admin.json'));
    const admin = createHttpAdminClient({ socketPath: info.socketPath, sessionSecret: info.sessionSecret });
    await admin.unlock({ passphrase: PASSPHRASE });
    const { session } = await admin.openGrantSession({ passphrase: PASSPHRASE, minutes: 15 });
    const grant = { session };
    const vault = await admin.createVault({ grant, vault: { name: 'bench' } });
    await admin.createEntry({ grant, vaultId: vault.id, entry: { title: 'entry', kind: 'login', fields: { username: 'u', password: 'bench-secret-value' } } });
    const status = await admin.status({});
    const endpoint = status.agentEndpoint;
    if (!endpoint) throw new Error('no agent endpoint');
    const port = Number(new URL(endpoint.url).port);
    const tcp: Target = { port, host: `127.0.0.1:${port}` };
    const sock: Target = { socketPath: endpoint.socketPath, host: 'localhost' };

    const key = newDpopKey();
    const created = await admin.createToken({ grant, token: { name: 'bench-agent', vaults: ['bench'], actions: ['read'], lifespanSeconds: 3600 } });
    const token = await enroll(tcp, endpoint.url, key, created.enrollmentCode, 'bench-agent');

    const baseline = await startBaseline(join(home, 'baseline.sock'));
    const rows: Row[] = [];
    for (const [transport, target, base, btarget] of [
      ['tcp', tcp, endpoint.url, { port: baseline.port, host: `127.0.0.1:${baseline.port}` }],
      ['socket', sock, 'http://localhost', { socketPath: baseline.socketPath, host: 'localhost' }],
    ] as const) {
      for (const c of CONCURRENCY) {
        const n = PER_RUN(c);
        const engineRequests = resolveRequests(n, base, key, token, 'vk://bench/entry/password');
        rows.push({ server: 'engine', transport, concurrency: c, result: await runLoad(target, engineRequests, c) });
        const baselineRequests: PreparedRequest[] = Array.from({ length: n }, () => ({
          method: 'POST',
          path: '/v1/resolve',
          headers: { authorization: `Bearer ${BASELINE_KEY}` },
          body: '{"refs":["vk://bench/entry/password"],"reason":"benchmark"}',
        }));
        rows.push({ server: 'baseline', transport, concurrency: c, result: await runLoad(btarget, baselineRequests, c) });
        log(`  ${transport} c=${c}: engine p50 ${rows.at(-2)!.result.p50ms.toFixed(2)} ms, baseline p50 ${rows.at(-1)!.result.p50ms.toFixed(2)} ms`);
      }
    }
    const loadedMb = engine.rssMb();
    const tokens = await tokenTimings(admin, grant, tcp, endpoint.url, 30);
    const approval = await approvalRoundTrip(admin, grant, tcp, endpoint.url, 20);
    await baseline.close();
    await engine.stop();

    const cold: number[] = [];
    for (let i = 0; i < 5; i++) {
      const e = await startEngine(home);
      cold.push(e.coldStartMs);
      await e.stop();
    }
    cold.sort((a, b) => a - b);

    const ledgers: LedgerFigures[] = [];
    for (const n of quick ? [1_000_000] : [1_000_000, 10_000_000]) ledgers.push(await ledgerBench(home, n, log));

    write({ rows, idleMb, loadedMb, coldStartMs: cold[Math.floor(cold.length / 2)] ?? NaN, tokens, approval, ledgers });
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

interface Results {
  readonly rows: readonly Row[];
  readonly idleMb: number;
  readonly loadedMb: number;
  readonly coldStartMs: number;
  readonly tokens: Awaited<ReturnType<typeof tokenTimings>>;
  readonly approval: Awaited<ReturnType<typeof approvalRoundTrip>>;
  readonly ledgers: readonly LedgerFigures[];
}

function write(r: Results): void {
  const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${process.platform}`;
  const json = { machine, date: new Date().toISOString(), ...r };
  writeFileSync(join(import.meta.dirname, 'results.json'), `${JSON.stringify(json, null, 2)}\n`);
  const f = (n: number, d = 2) => (Number.isFinite(n) ? n.toFixed(d) : '–');
  const lines = [
    '# Valetkey benchmarks',
    '',
    `Machine: ${machine}. Run: ${json.date}. Reproduce with \`npm run bench\`.`,
    '',
    'Authenticated secret read: `POST /v1/resolve` with a DPoP-bound token, a fresh proof per request (made before the timed window), a reason,',
    'and the audit row committed (fsync) before the answer. Baseline: a bare Node HTTP server checking a static API key, returning a constant.',
    '',
    '| transport | agents | engine p50 ms | engine p99 ms | engine req/s | baseline p50 ms | baseline p99 ms | baseline req/s | throughput ratio | errors |',
    '|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const transport of ['tcp', 'socket'] as const) {
    for (const c of CONCURRENCY) {
      const e = r.rows.find((x) => x.server === 'engine' && x.transport === transport && x.concurrency === c)!.result;
      const b = r.rows.find((x) => x.server === 'baseline' && x.transport === transport && x.concurrency === c)!.result;
      lines.push(`| ${transport} | ${c} | ${f(e.p50ms)} | ${f(e.p99ms)} | ${f(e.throughput, 0)} | ${f(b.p50ms)} | ${f(b.p99ms)} | ${f(b.throughput, 0)} | ${f((e.throughput / b.throughput) * 100, 1)}% | ${e.errors} |`);
    }
  }
  lines.push(
    '',
    '| measure | value | target |',
    '|---|---|---|',
    `| token creation (admin API, grant session), median | ${f(r.tokens.createMedianMs)} ms | – |`,
    `| enrollment (nonce handshake + redeem), median | ${f(r.tokens.enrollMedianMs)} ms | – |`,
    `| approval round trip with an automatic approver, median | ${f(r.approval.medianMs)} ms | – |`,
    `| engine cold start to ready, median of 5 | ${f(r.coldStartMs, 0)} ms | ≤ 300 ms |`,
    `| idle memory (RSS) | ${f(r.idleMb, 0)} MB | ≤ 120 MB |`,
    `| memory after the load runs (RSS) | ${f(r.loadedMb, 0)} MB | – |`,
  );
  for (const l of r.ledgers) {
    const m = `${l.rows / 1e6}M`;
    lines.push(
      `| ledger ${m}: Activity query p95 (filtered, paged) | ${f(l.queryP95ms)} ms | ≤ 50 ms at 10M |`,
      `| ledger ${m}: export rate | ${f(l.exportRowsPerSecond, 0)} rows/s | – |`,
      `| ledger ${m}: verification rate | ${f(l.verifyRowsPerSecond, 0)} rows/s | – |`,
      `| ledger ${m}: database size | ${f(l.mbPerMillionRows, 0)} MB per million rows | – |`,
      `| ledger ${m}: fill time (appendMany, 20k-row batches) | ${f(l.fillSeconds, 0)} s | – |`,
    );
  }
  lines.push('', 'Targets (reported, not asserted): p50 ≤ 1 ms and p99 ≤ 5 ms at 16 agents; throughput ≥ 15% of the baseline.', '');
  writeFileSync(join(import.meta.dirname, 'results.md'), lines.join('\n'));
  process.stdout.write(`${lines.join('\n')}\n`);
}

await main();
