/** Starts a real engine process (the bundled CLI when built, else from source) in a temp data directory. */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ENGINE_NODE_FLAGS } from '../../src/core/daemon/engine-node-flags.js';

export const ROOT = join(import.meta.dirname, '..', '..');
export const PASSPHRASE = 'bench passphrase 0123456789';

function cliArgs(): string[] {
  const bundle = join(ROOT, 'out', 'cli', 'valetkey.mjs');
  return existsSync(bundle) ? [bundle] : ['--import', 'tsx', join(ROOT, 'src', 'cli', 'bin.ts')];
}

export function cli(home: string, args: readonly string[], input = ''): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [...cliArgs(), ...args], { cwd: ROOT, env: { ...process.env, VALETKEY_HOME: home }, input, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

export interface EngineProcess {
  readonly child: ChildProcess;
  /** Milliseconds from spawn to "engine ready". */
  readonly coldStartMs: number;
  rssMb(): number;
  /** The part of RSS that is file-backed (mostly the node executable's own pages), from smaps_rollup. */
  fileBackedMb(): number;
  stop(): Promise<void>;
}

export function startEngine(home: string, env: Record<string, string> = {}, nodeArgs: readonly string[] = []): Promise<EngineProcess> {
  const started = process.hrtime.bigint();
  // The engine as it ships: with the Node flags its launchers give it.
  const child = spawn(process.execPath, [...ENGINE_NODE_FLAGS, ...nodeArgs, ...cliArgs(), 'daemon'], { cwd: ROOT, env: { ...process.env, VALETKEY_HOME: home, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  return new Promise((resolve, reject) => {
    const onData = (d: Buffer) => {
      output += d.toString();
      if (!output.includes('engine ready')) return;
      child.stderr?.off('data', onData);
      const coldStartMs = Number(process.hrtime.bigint() - started) / 1e6;
      resolve({
        child,
        coldStartMs,
        rssMb: () => rssMb(child.pid ?? 0),
        fileBackedMb: () => fileBackedMb(child.pid ?? 0),
        stop: () =>
          new Promise((done) => {
            child.once('exit', () => done());
            child.kill('SIGTERM');
          }),
      });
    };
    child.stderr?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`engine exited ${code}: ${output}`)));
  });
}

export function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return kb / 1024;
}

function fileBackedMb(pid: number): number {
  const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+)`, 'm').exec(rollup)?.[1] ?? 0);
  return (kb('Rss') - kb('Anonymous')) / 1024;
}
