/**
 * For the agent CLI tests: a `valetkey` process left running (a login waiting for the person, a
 * read waiting for an approval, `audit tail`), and a setup that makes a daemon with two vaults.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { expect } from 'vitest';
import { PASSPHRASE, ROOT, VALETKEY, cliEnv, runCli, startDaemonProcess, type CliResult, type DaemonProcess } from '../helpers/cli.js';

export interface Background {
  readonly child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves when the text shows up on stdout or stderr (polls every 50 ms). */
  waitFor(text: string | RegExp, timeoutMs?: number): Promise<void>;
  done: Promise<CliResult>;
}

export function startCli(home: string, args: readonly string[], options: { input?: string; env?: Record<string, string | undefined> } = {}): Background {
  const child = spawn(process.execPath, [VALETKEY, ...args], { cwd: ROOT, env: cliEnv(home, options.env), stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdin.end(options.input ?? '');
  const done = new Promise<CliResult>((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
  const waitFor = async (text: string | RegExp, timeoutMs = 30_000): Promise<void> => {
    const deadline = Date.now() + timeoutMs;
    const seen = (): boolean => (typeof text === 'string' ? (stdout + stderr).includes(text) : text.test(stdout + stderr));
    while (!seen()) {
      if (Date.now() > deadline || child.exitCode !== null) throw new Error(`never saw ${String(text)}; stdout: ${stdout}\nstderr: ${stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };
  return { child, stdout: () => stdout, stderr: () => stderr, waitFor, done };
}

/** Run and insist on exit code 0, showing stderr when it is not. */
export async function ok(home: string, args: readonly string[], options: { input?: string; env?: Record<string, string | undefined> } = {}): Promise<CliResult> {
  const r = await runCli(home, args, options);
  expect(r.code, `valetkey ${args.join(' ')}\n${r.stderr}`).toBe(0);
  return r;
}

export const asPerson = { input: `${PASSPHRASE}\n` } as const;

/** Init (keychain), start the daemon, make Accounting (no approval) and Personal (every access). */
export async function setUpEngine(home: string): Promise<DaemonProcess> {
  await ok(home, ['init'], asPerson);
  const daemon = await startDaemonProcess(home);
  await ok(home, ['vault', 'create', 'Accounting'], asPerson);
  await ok(home, ['vault', 'create', 'Personal', '--approval', 'every'], asPerson);
  return daemon;
}

/** Create a token from the CLI and return its enrollment code and id. */
export async function createToken(home: string, name: string, extra: readonly string[]): Promise<{ code: string; id: string; snippet: string }> {
  const r = await ok(home, ['token', 'create', '--name', name, ...extra, '--json'], asPerson);
  const created = JSON.parse(r.stdout) as { enrollmentCode: string; token: { id: string }; snippet: string };
  return { code: created.enrollmentCode, id: created.token.id, snippet: created.snippet };
}

/** The first pending approval, as `valetkey approvals list` shows it to the person. */
export async function waitForApproval(home: string): Promise<{ id: string; agent: string; reason: string }> {
  for (let i = 0; i < 40; i += 1) {
    const list = JSON.parse((await runCli(home, ['approvals', 'list', '--json'])).stdout) as { id: string; agent: string; reason: string }[];
    if (list[0] !== undefined) return list[0];
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error('no approval was asked for');
}
