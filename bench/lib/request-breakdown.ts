/**
 * Where a request's microseconds go: the engine runs a load window under `--cpu-prof`, and each
 * sample of its main thread inside the window is charged to the first step that its stack (read
 * from the leaf up) names. CPU time per step ÷ requests = microseconds per request. Sampling
 * adds some overhead of its own, so the total is a little above the unprofiled figure.
 */
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { resolveRequests } from './agent.js';
import { BENCH_REF, startBenchEngine } from './bench-engine.js';
import { runLoad } from './load.js';

interface CallFrame {
  readonly functionName: string;
  readonly url: string;
}
interface ProfileNode {
  readonly id: number;
  readonly callFrame: CallFrame;
  readonly children?: readonly number[];
}
interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly startTime: number;
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

export interface BreakdownRow {
  readonly step: string;
  readonly usPerRequest: number;
}

/** Steps, most specific first; a frame matches a step by its function name (or, for Node internals, its file). */
const STEPS: readonly { readonly step: string; readonly test: (f: CallFrame) => boolean }[] = [
  { step: 'DPoP proof: Ed25519 signature check', test: (f) => f.functionName === 'verifyOneShot' },
  { step: 'DPoP proof: parse, claims, replay cache', test: (f) => /^(verifyDpopProof|checkProof|checkProofOrRefuse|verifyProofJws)$/.test(f.functionName) },
  { step: 'access token: cached signature, revocation, rate', test: (f) => /^(verifyToken|liveRecord|consume|verify)$/.test(f.functionName) && !f.url.startsWith('node:') },
  { step: 'vault: find the entry, one XChaCha20-Poly1305 open', test: (f) => /^(resolveTarget|findEntry|findScopedVault|readTarget|getEntry|xchachaDecrypt|hchacha20)$/.test(f.functionName) },
  { step: 'audit: row, canonical JSON, SHA-256 chain, hand-off to the writer thread', test: (f) => /^(auditRead|auditAllowed|auditRefusal|prepareRecord|buildBatch|writeElsewhere|writeQueued|append)$/.test(f.functionName) },
  { step: 'HTTP: parse request, read body, write answer (Node)', test: (f) => /^node:(_http|net|internal\/(streams|stream_base_commons|http|net))/.test(f.url) || /^(sendOk|sendJson|readBody|handle)$/.test(f.functionName) },
  { step: 'garbage collection', test: (f) => f.functionName === '(garbage collector)' },
];

function mainThreadProfile(dir: string): CpuProfile {
  // File names are CPU.<date>.<time>.<pid>.<thread>.<seq>.cpuprofile; thread 0 is the main thread.
  const file = readdirSync(dir).find((f) => /^CPU\.\d+\.\d+\.\d+\.0\.\d+\.cpuprofile$/.test(f));
  if (file === undefined) throw new Error(`no main-thread CPU profile in ${dir}`);
  return JSON.parse(readFileSync(join(dir, file), 'utf8')) as CpuProfile;
}

/** `fromUs`/`toUs`: the load window on the monotonic clock (process.hrtime, µs), which V8's profile timestamps share on Linux. */
export function requestBreakdown(dir: string, fromUs: number, toUs: number, requests: number): BreakdownRow[] {
  const p = mainThreadProfile(dir);
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const charged = new Map<string, number>();
  let t = p.startTime;
  p.samples.forEach((id, i) => {
    t += p.timeDeltas[i] ?? 0;
    if (t < fromUs || t > toUs) return;
    const dt = p.timeDeltas[i + 1] ?? 0;
    const leaf = byId.get(id);
    if (leaf === undefined || leaf.callFrame.functionName === '(idle)') return;
    let step = 'other (event loop, promises, JSON, routing)';
    for (let n: ProfileNode | undefined = leaf; n !== undefined; n = byId.get(parent.get(n.id) ?? -1)) {
      const found = STEPS.find((s) => s.test(n!.callFrame));
      if (found) {
        step = found.step;
        break;
      }
    }
    charged.set(step, (charged.get(step) ?? 0) + dt);
  });
  if (charged.size === 0) throw new Error('the CPU profile has no samples inside the load window');
  const rows = [...STEPS.map((s) => s.step), 'other (event loop, promises, JSON, routing)'].map((step) => ({ step, usPerRequest: (charged.get(step) ?? 0) / requests }));
  return [...rows, { step: 'total CPU on the event loop', usPerRequest: rows.reduce((sum, r) => sum + r.usPerRequest, 0) }];
}

const PROFILED_REQUESTS = 4000;
const PROFILED_AGENTS = 16;

/** A fresh engine on `home` (already set up by the load runs) under --cpu-prof, one load window over the socket. */
export async function profiledBreakdown(home: string): Promise<{ rows: BreakdownRow[]; requests: number; agents: number; errorStatuses: Readonly<Record<string, number>> }> {
  const dir = join(home, 'cpu-profile');
  mkdirSync(dir, { recursive: true });
  const bench = await startBenchEngine(home, { nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${dir}`, '--cpu-prof-interval=100'], createData: false });
  const { key, token } = await bench.newAgent('profiled-agent');
  const requests = resolveRequests(PROFILED_REQUESTS, 'http://localhost', key, token, BENCH_REF);
  const from = Number(process.hrtime.bigint() / 1000n);
  const result = await runLoad(bench.sock, requests, PROFILED_AGENTS);
  const to = Number(process.hrtime.bigint() / 1000n);
  await bench.engine.stop(); // the profile is written at exit
  return { rows: requestBreakdown(dir, from, to, PROFILED_REQUESTS), requests: PROFILED_REQUESTS, agents: PROFILED_AGENTS, errorStatuses: result.errorStatuses };
}
