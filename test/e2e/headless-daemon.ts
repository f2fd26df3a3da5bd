/**
 * `valetkey daemon --headless` as a real process, for the browser tests: the installed command, like
 * the CLI tests, with the login URL it prints picked out of its output.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, VALETKEY, cliEnv } from '../helpers/cli.js';

export const RENDERER_DIR = join(ROOT, 'out', 'renderer');
/** The daemon without a Secret Service: tests use the passphrase key file, so they run anywhere. */
export const NO_DBUS = { DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/valetkey-test-bus' };

export interface HeadlessDaemon {
  readonly child: ChildProcess;
  /** The one-time login URL the daemon printed. */
  readonly loginUrl: string;
  /** `http://127.0.0.1:PORT` */
  readonly origin: string;
  output(): string;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

const LOGIN_LINE = /^Dashboard: (http:\/\/127\.0\.0\.1:\d+\/login\?code=[A-Za-z0-9_-]+)$/m;

export function startHeadlessDaemon(home: string, args: readonly string[] = [], env: Record<string, string | undefined> = NO_DBUS): Promise<HeadlessDaemon> {
  const child = spawn(process.execPath, [VALETKEY, 'daemon', '--headless', ...args], { cwd: ROOT, env: cliEnv(home, env), stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const stop = async (signal: NodeJS.Signals = 'SIGTERM') => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    return exited;
  };
  return new Promise((resolve, reject) => {
    const onData = (d: Buffer) => {
      output += d.toString();
      const url = LOGIN_LINE.exec(output)?.[1];
      if (url !== undefined && output.includes('(headless mode:')) {
        resolve({ child, loginUrl: url, origin: new URL(url).origin, output: () => output, stop });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    void exited.then((code) => reject(new Error(`daemon exited (${code}) before it printed the dashboard URL:\n${output}`)));
  });
}

/**
 * The real dashboard, built by electron-vite. `npm test` builds it first; a bare vitest run
 * builds it here when it is missing or older than the renderer's sources.
 */
export function ensureRendererBuilt(): void {
  const index = join(RENDERER_DIR, 'index.html');
  const sources = ['src/renderer', 'src/shared'].map((dir) => newestMtime(join(ROOT, dir)));
  if (existsSync(index) && statSync(index).mtimeMs >= Math.max(...sources)) return;
  const r = spawnSync(process.execPath, [join(ROOT, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build'], { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`electron-vite build failed:\n${r.stdout}\n${r.stderr}`);
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) newest = Math.max(newest, statSync(join(entry.parentPath, entry.name)).mtimeMs);
  }
  return newest;
}
