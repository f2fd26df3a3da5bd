/** bench/results.md and bench/results.json from one run: tables, and each target with met or missed. */
import { writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import type { CliFigures } from './cli-timing.js';
import type { approvalRoundTrip, tokenTimings } from './flows.js';
import type { LedgerFigures } from './ledger-bench.js';
import type { LoadResult } from './load.js';
import type { BreakdownRow } from './request-breakdown.js';
import { VAULT_ENTRIES } from './bench-engine.js';

export const CONCURRENCY = [1, 16, 64] as const;

export interface Row {
  readonly server: 'engine' | 'baseline';
  readonly transport: 'tcp' | 'socket';
  readonly concurrency: number;
  readonly result: LoadResult;
}

export interface Results {
  readonly rows: readonly Row[];
  readonly cli: CliFigures;
  readonly memory: { readonly lockedMb: number; readonly unlockedMb: number; readonly loadedMb: number; readonly loadedFileMb: number };
  readonly coldStartMs: number;
  readonly breakdown: { readonly rows: readonly BreakdownRow[]; readonly requests: number; readonly agents: number; readonly fsyncMs: number; readonly errorStatuses: Readonly<Record<string, number>> };
  readonly tokens: Awaited<ReturnType<typeof tokenTimings>>;
  readonly approval: Awaited<ReturnType<typeof approvalRoundTrip>>;
  readonly ledgers: readonly LedgerFigures[];
}

const f = (n: number, d = 2) => (Number.isFinite(n) ? n.toFixed(d) : '–');
const verdict = (met: boolean) => (met ? 'met' : 'missed');

function find(r: Results, server: Row['server'], transport: Row['transport'], c: number): LoadResult {
  const row = r.rows.find((x) => x.server === server && x.transport === transport && x.concurrency === c);
  if (!row) throw new Error(`no ${server} ${transport} row at ${c}`);
  return row.result;
}

function loadTable(r: Results): string[] {
  const lines = [
    '| transport | agents | engine p50 ms | engine p99 ms | engine req/s | baseline p50 ms | baseline p99 ms | baseline req/s | throughput ratio | errors |',
    '|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const transport of ['tcp', 'socket'] as const) {
    for (const c of CONCURRENCY) {
      const e = find(r, 'engine', transport, c);
      const b = find(r, 'baseline', transport, c);
      lines.push(`| ${transport} | ${c} | ${f(e.p50ms)} | ${f(e.p99ms)} | ${f(e.throughput, 0)} | ${f(b.p50ms)} | ${f(b.p99ms)} | ${f(b.throughput, 0)} | ${f((e.throughput / b.throughput) * 100, 1)}% | ${e.errors} |`);
    }
  }
  return lines;
}

function cliTable(r: Results): string[] {
  const node = r.cli.node.medianMs;
  const lines = ['| whole process (median of ' + r.cli.node.runs + ', taking turns) | ms | × `node -e 0` |', '|---|---|---|'];
  for (const t of [r.cli.node, ...(r.cli.secretTool ? [r.cli.secretTool] : []), ...r.cli.commands]) lines.push(`| ${t.label} | ${f(t.medianMs, 1)} | ${f(t.medianMs / node)} |`);
  return lines;
}

function targetTable(r: Results): string[] {
  const node = r.cli.node.medianMs;
  const reads = r.cli.commands.filter((c) => c.label.startsWith('valetkey read'));
  const slowestRead = Math.max(...reads.map((c) => c.medianMs));
  const p50s = (['socket', 'tcp'] as const).map((t) => find(r, 'engine', t, 1).p50ms);
  const ratios = (['tcp', 'socket'] as const).map((t) => find(r, 'engine', t, 64).throughput / find(r, 'baseline', t, 64).throughput);
  const { lockedMb, unlockedMb, loadedMb, loadedFileMb } = r.memory;
  return [
    '| figure | this run | target | |',
    '|---|---|---|---|',
    `| \`valetkey read\` whole process vs \`node -e 0\` (slowest key store) | ${f(slowestRead / node)}× (${f(slowestRead, 0)} vs ${f(node, 0)} ms) | ≤ 1.5× | ${verdict(slowestRead / node <= 1.5)} |`,
    `| engine RSS, idle, locked | ${f(lockedMb, 0)} MB | – | |`,
    `| engine RSS, idle, unlocked with the key file | ${f(unlockedMb, 0)} MB | ≤ 120 MB | ${verdict(unlockedMb <= 120)} |`,
    `| engine RSS after the load runs (2 s idle) | ${f(loadedMb, 0)} MB (${loadedMb >= unlockedMb ? '+' : ''}${f(loadedMb - unlockedMb, 0)} over idle) | ≤ 120 MB, flat | ${verdict(loadedMb <= 120)} |`,
    `| of which file-backed (the node executable's pages, shared in the page cache) | ${f(loadedFileMb, 0)} MB | – | |`,
    `| engine cold start to ready, median of 10 | ${f(r.coldStartMs, 0)} ms | ≤ 250 ms | ${verdict(r.coldStartMs <= 250)} |`,
    `| one agent, p50, socket / TCP | ${f(p50s[0]!)} / ${f(p50s[1]!)} ms | ≤ 0.5 ms both | ${verdict(p50s.every((p) => p <= 0.5))} |`,
    `| throughput at 64 agents vs baseline, TCP / socket | ${f(ratios[0]! * 100, 1)} % / ${f(ratios[1]! * 100, 1)} % | ≥ 30 % | ${verdict(ratios.every((x) => x >= 0.3))} |`,
  ];
}

function breakdownTable(r: Results): string[] {
  const lines = ['| step (event-loop CPU per request) | µs |', '|---|---|'];
  for (const b of r.breakdown.rows) lines.push(`| ${b.step} | ${f(b.usPerRequest, 0)} |`);
  const errors = Object.entries(r.breakdown.errorStatuses).map(([status, n]) => `${n} × ${status}`).join(', ');
  if (errors !== '') lines.push(`| (answers other than 200 in this window: ${errors}) | – |`);
  lines.push(`| not on the event loop: the audit commit's fsync on the writer thread (4 KiB in place + fdatasync, as SQLite's WAL commit, median of 50) | ${f(r.breakdown.fsyncMs * 1000, 0)} |`);
  return lines;
}

function otherMeasures(r: Results): string[] {
  const lines = [
    '| measure | value |',
    '|---|---|',
    `| token creation (admin API, grant session), median | ${f(r.tokens.createMedianMs)} ms |`,
    `| enrollment (nonce handshake + redeem), median | ${f(r.tokens.enrollMedianMs)} ms |`,
    `| approval round trip with an automatic approver, median | ${f(r.approval.medianMs)} ms |`,
  ];
  for (const l of r.ledgers) {
    const m = `${l.rows / 1e6}M`;
    lines.push(
      `| ledger ${m}: Activity query p95 (filtered, paged; target ≤ 50 ms at 10M) | ${f(l.queryP95ms)} ms |`,
      `| ledger ${m}: export rate | ${f(l.exportRowsPerSecond, 0)} rows/s |`,
      `| ledger ${m}: verification rate | ${f(l.verifyRowsPerSecond, 0)} rows/s |`,
      `| ledger ${m}: database size | ${f(l.mbPerMillionRows, 0)} MB per million rows |`,
      `| ledger ${m}: fill time (appendMany, 20k-row batches) | ${f(l.fillSeconds, 0)} s |`,
    );
  }
  return lines;
}

export function writeResults(r: Results): void {
  const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${process.platform}`;
  const load = loadavg().map((x) => x.toFixed(1)).join(' / ');
  const json = { machine, loadAverageAtEnd: load, date: new Date().toISOString(), ...r };
  writeFileSync(join(import.meta.dirname, '..', 'results.json'), `${JSON.stringify(json, null, 2)}\n`);
  const lines = [
    '# Valetkey benchmarks',
    '',
    `Machine: ${machine}. Run: ${json.date}. Load average at the end (1/5/15 min): ${load}. Reproduce with \`npm run bench\`.`,
    '',
    'The machine is shared with other work while this runs: absolute times are inflated and noisy. What counts are ratios against a',
    'baseline measured in the same run (`node -e 0` for the CLI, a bare Node server for the endpoint).',
    '',
    '## Against the targets',
    '',
    ...targetTable(r),
    '',
    '## The agent CLI, whole processes',
    '',
    ...cliTable(r),
    '',
    '## Authenticated secret read',
    '',
    `\`POST /v1/resolve\` of one login by vault name and title, in a vault of ${VAULT_ENTRIES} logins, with a DPoP-bound token, a fresh proof per`,
    'request (made before the timed window), a reason, and the audit row committed (fsync) before the answer. Baseline: a bare Node',
    'HTTP server checking a static API key, returning a constant.',
    '',
    ...loadTable(r),
    '',
    `## Where a request's time goes (${r.breakdown.agents} agents over the socket, ${r.breakdown.requests} requests, engine under \`--cpu-prof\`)`,
    '',
    'The event loop\'s CPU samples inside the load window, each charged to the first step its stack names. The audit commit\'s fsync',
    'runs on the writer thread (group commit), off this table.',
    '',
    ...breakdownTable(r),
    '',
    '## Other measures',
    '',
    ...otherMeasures(r),
    '',
  ];
  writeFileSync(join(import.meta.dirname, '..', 'results.md'), lines.join('\n'));
  process.stdout.write(`${lines.join('\n')}\n`);
}
