/**
 * The agent CLI as an agent runs it: whole processes, timed from spawn to exit, against `node -e 0`
 * (the floor any Node program pays) and `secret-tool lookup` (a small C program reading the same
 * Secret Service), in the same run. The programs take turns, round after round, so a busy moment
 * on a shared machine falls on all of them; each figure is a median.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { percentile } from './load.js';
import { ROOT } from './engine-process.js';

export interface ProcessTiming {
  readonly label: string;
  readonly medianMs: number;
  readonly runs: number;
}

export interface CliFigures {
  readonly node: ProcessTiming;
  readonly secretTool: ProcessTiming | undefined;
  readonly commands: readonly ProcessTiming[];
}

interface Program {
  readonly label: string;
  readonly command: string;
  readonly args: readonly string[];
}

const RUNS = 15;
const BIN = join(ROOT, 'bin', 'valetkey.cjs');

function timeOnce(p: Program, env: NodeJS.ProcessEnv): number {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(p.command, p.args, { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`${p.label} exited ${r.status}: ${r.stderr}`);
  return ms;
}

/** One warm-up round (file cache; every run is a new process, so no JIT carries over), then `runs` rounds. */
function timeInTurns(programs: readonly Program[], env: NodeJS.ProcessEnv, runs: number): ProcessTiming[] {
  for (const p of programs) timeOnce(p, env);
  const times = programs.map(() => [] as number[]);
  for (let i = 0; i < runs; i++) programs.forEach((p, j) => times[j]!.push(timeOnce(p, env)));
  return programs.map((p, j) => ({ label: p.label, medianMs: percentile(times[j]!.sort((a, b) => a - b), 0.5), runs }));
}

const valetkey = (label: string, args: readonly string[]): Program => ({ label, command: process.execPath, args: [BIN, ...args] });

/** Logs an agent in with an enrollment code, its key and token kept in `store`. */
function login(home: string, code: string, profile: string, store: 'keychain' | 'file'): void {
  const r = spawnSync(process.execPath, [BIN, 'login', '--enroll', code, '--profile', profile, '--store', store], { env: { ...process.env, VALETKEY_HOME: home }, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`login (${store}) failed: ${r.stderr}`);
}

/** Stores a value with secret-tool so `secret-tool lookup` has the same kind of item to find. */
function storeWithSecretTool(value: string): boolean {
  return spawnSync('secret-tool', ['store', '--label', 'valetkey bench', 'bench', 'valetkey-bench'], { input: value, encoding: 'utf8' }).status === 0;
}

/**
 * `valetkey read` (agent key in the keychain when there is one, and in a file), `whoami`,
 * `--version` and `--help`, against `node -e 0` and `secret-tool lookup`. `codes` are enrollment
 * codes of tokens that may read `ref`.
 */
export function cliTimings(home: string, codes: readonly [string, string], ref: string, keychain: boolean): CliFigures {
  const env = { ...process.env, VALETKEY_HOME: home, VALETKEY_REASON: 'benchmark: agent CLI start' };
  login(home, codes[0], 'file-agent', 'file');
  if (keychain) login(home, codes[1], 'default', 'keychain');
  const withSecretTool = keychain && storeWithSecretTool('bench-secret-value');
  const programs: Program[] = [
    { label: 'node -e 0', command: process.execPath, args: ['-e', '0'] },
    ...(withSecretTool ? [{ label: 'secret-tool lookup', command: 'secret-tool', args: ['lookup', 'bench', 'valetkey-bench'] }] : []),
    ...(keychain ? [valetkey('valetkey read (agent key in the OS keychain)', ['read', ref])] : []),
    valetkey('valetkey read (agent key in a 0600 file)', ['read', ref, '--profile', 'file-agent']),
    valetkey('valetkey whoami', ['whoami', '--profile', 'file-agent']),
    valetkey('valetkey --version', ['--version']),
    valetkey('valetkey --help', ['--help']),
  ];
  const [node, ...rest] = timeInTurns(programs, env, RUNS);
  const secretTool = withSecretTool ? rest.shift() : undefined;
  return { node: node!, secretTool, commands: rest };
}
