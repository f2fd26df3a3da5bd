/**
 * `npm run bench`: the engine against a bare-Node baseline, same machine, same run, same load
 * generator; the agent CLI against `node -e 0` and `secret-tool lookup`; memory, cold start and
 * where a request's time goes. Writes bench/results.md and bench/results.json. Targets are
 * reported, never asserted (the machine is shared and noisy). `--quick` skips the 10-million-row
 * ledger. Without a session bus it runs itself again inside a private one with an unlocked
 * gnome-keyring (as scripts/test.sh does), so the keychain figures are real.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { keychainReachable } from '../src/cli/agent/agent-secret-store.js';
import { resolveRequests } from './lib/agent.js';
import { BASELINE_KEY, startBaseline } from './lib/baseline-server.js';
import { BENCH_REF, startBenchEngine } from './lib/bench-engine.js';
import { cliTimings } from './lib/cli-timing.js';
import { fsyncMedianMs } from './lib/fsync-timing.js';
import { cli, PASSPHRASE, startEngine } from './lib/engine-process.js';
import { ledgerBench, type LedgerFigures } from './lib/ledger-bench.js';
import { runLoad, type PreparedRequest, type Target } from './lib/load.js';
import { approvalRoundTrip, tokenTimings } from './lib/flows.js';
import { profiledBreakdown } from './lib/request-breakdown.js';
import { CONCURRENCY, writeResults, type Row } from './lib/report.js';

const quick = process.argv.includes('--quick');
const log = (s: string) => process.stderr.write(`${s}\n`);
const PER_RUN = (c: number) => Math.max(2000, c * 150);

function inPrivateSessionBus(): boolean {
  if (process.env.DBUS_SESSION_BUS_ADDRESS || process.env.VALETKEY_BENCH_NO_DBUS) return false;
  if (spawnSync('sh', ['-c', 'command -v dbus-run-session && command -v gnome-keyring-daemon && command -v secret-tool']).status !== 0) return false;
  log('bench: starting a private D-Bus session with an unlocked gnome-keyring …');
  const script = 'echo -n valetkey-bench | gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>&1; exec "$0" "$@"';
  const keyrings = mkdtempSync(join(tmpdir(), 'vk-bench-keyring-'));
  const r = spawnSync('dbus-run-session', ['--', 'sh', '-c', script, process.execPath, ...process.execArgv, ...process.argv.slice(1)], {
    stdio: 'inherit',
    env: { ...process.env, XDG_DATA_HOME: keyrings, VALETKEY_BENCH_NO_DBUS: '1' },
  });
  rmSync(keyrings, { recursive: true, force: true });
  process.exitCode = r.status ?? 1;
  return true;
}

async function loadRuns(bench: Awaited<ReturnType<typeof startBenchEngine>>, baselineSocket: string): Promise<Row[]> {
  const { key, token } = await bench.newAgent('bench-agent');
  const baseline = await startBaseline(baselineSocket);
  const rows: Row[] = [];
  for (const [transport, target, base, btarget] of [
    ['tcp', bench.tcp, bench.url, { port: baseline.port, host: `127.0.0.1:${baseline.port}` }],
    ['socket', bench.sock, 'http://localhost', { socketPath: baseline.socketPath, host: 'localhost' }],
  ] as const satisfies readonly (readonly ['tcp' | 'socket', Target, string, Target])[]) {
    for (const c of CONCURRENCY) {
      const n = PER_RUN(c);
      rows.push({ server: 'engine', transport, concurrency: c, result: await runLoad(target, resolveRequests(n, base, key, token, BENCH_REF), c) });
      const baselineRequests: PreparedRequest[] = Array.from({ length: n }, () => ({
        method: 'POST',
        path: '/v1/resolve',
        headers: { authorization: `Bearer ${BASELINE_KEY}` },
        body: `{"refs":["${BENCH_REF}"],"reason":"benchmark"}`,
      }));
      rows.push({ server: 'baseline', transport, concurrency: c, result: await runLoad(btarget, baselineRequests, c) });
      log(`  ${transport} c=${c}: engine p50 ${rows.at(-2)!.result.p50ms.toFixed(2)} ms, baseline p50 ${rows.at(-1)!.result.p50ms.toFixed(2)} ms`);
    }
  }
  await baseline.close();
  return rows;
}

async function main(): Promise<void> {
  const home = mkdtempSync(join(tmpdir(), 'vk-bench-'));
  try {
    log('bench: setting up an engine (passphrase key file) …');
    if (cli(home, ['init', '--key-file'], `${PASSPHRASE}\n`).code !== 0) throw new Error('init failed');
    const bench = await startBenchEngine(home, { createData: true });
    const keychain = await keychainReachable();
    log(`bench: agent CLI start (${keychain ? 'with' : 'without'} an OS keychain) …`);
    const cliFigures = cliTimings(home, [await bench.newCode('cli-file'), await bench.newCode('cli-keychain')], BENCH_REF, keychain);
    log('bench: load runs …');
    const rows = await loadRuns(bench, join(home, 'baseline.sock'));
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const loadedMb = bench.engine.rssMb();
    const loadedFileMb = bench.engine.fileBackedMb();
    const tokens = await tokenTimings(bench.admin, bench.grant, bench.tcp, bench.url, 30);
    const approval = await approvalRoundTrip(bench.admin, bench.grant, bench.tcp, bench.url, 20);
    await bench.engine.stop();

    log('bench: request breakdown (engine under --cpu-prof) …');
    const breakdown = { ...(await profiledBreakdown(home)), fsyncMs: fsyncMedianMs(home) };

    const cold: number[] = [];
    for (let i = 0; i < 10; i++) {
      const e = await startEngine(home);
      cold.push(e.coldStartMs);
      await e.stop();
    }
    cold.sort((a, b) => a - b);

    const ledgers: LedgerFigures[] = [];
    for (const n of quick ? [1_000_000] : [1_000_000, 10_000_000]) ledgers.push(await ledgerBench(home, n, log));

    writeResults({
      rows,
      cli: cliFigures,
      memory: { lockedMb: bench.lockedMb, unlockedMb: bench.unlockedMb, loadedMb, loadedFileMb },
      coldStartMs: cold[Math.floor(cold.length / 2)] ?? NaN,
      breakdown,
      tokens,
      approval,
      ledgers,
    });
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

if (!inPrivateSessionBus()) await main();
