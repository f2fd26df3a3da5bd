/** Runs the real `valetkey` program in its own process, as installed, as a person or agent would. */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

export const ROOT = join(import.meta.dirname, '..', '..');
/**
 * The `valetkey` command as installed: bin/valetkey.cjs running the bundle in out/cli. Vitest builds
 * the bundle from the current sources before any test runs (build-cli.global.ts), so no test runs an
 * older program. Each process starts in ~0.2 s where tsx from source took ~0.6 s.
 */
export const VALETKEY = join(ROOT, 'bin', 'valetkey.cjs');

export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export function cliEnv(home: string, extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  return { ...process.env, VALETKEY_HOME: home, NO_COLOR: '1', ...extra };
}

export function runCli(home: string, args: readonly string[], options: { input?: string; env?: Record<string, string | undefined> } = {}): Promise<CliResult> {
  return runProgram(process.execPath, [VALETKEY, ...args], { cwd: ROOT, env: cliEnv(home, options.env), ...(options.input === undefined ? {} : { input: options.input }) });
}

/** Runs any program without blocking the event loop (servers in the test keep answering); never throws on a non-zero exit. */
export function runProgram(cmd: string, args: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; input?: string } = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.on('error', () => undefined); // a program that never reads its input closes it early
    child.stdin.end(options.input ?? '');
  });
}

export interface DaemonProcess {
  readonly child: ChildProcess;
  /** Everything the daemon printed so far. */
  output(): string;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Starts `valetkey daemon` and resolves once it says it is ready; `input` is piped to its standard input. */
export function startDaemonProcess(home: string, env: Record<string, string | undefined> = {}, options: { args?: readonly string[]; input?: string } = {}): Promise<DaemonProcess> {
  const stdin = options.input === undefined ? 'ignore' : 'pipe';
  const child = spawn(process.execPath, [VALETKEY, 'daemon', ...(options.args ?? [])], { cwd: ROOT, env: cliEnv(home, env), stdio: [stdin, 'pipe', 'pipe'] });
  if (options.input !== undefined) child.stdin?.end(options.input);
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const daemon: DaemonProcess = {
    child,
    output: () => output,
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
  return new Promise((resolve, reject) => {
    const onData = (d: Buffer) => {
      output += d.toString();
      if (output.includes('engine ready')) resolve(daemon);
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    void exited.then((code) => reject(new Error(`daemon exited (${code}) before it was ready:\n${output}`)));
  });
}

export const PASSPHRASE = 'correct horse battery staple';

/**
 * For set-up hooks that start engine processes: init, daemon start and unlock each start a program and
 * may run Argon2id, and the machine may be busy with other work. Generous on purpose.
 */
export const PROCESS_SETUP_TIMEOUT_MS = 180_000;
