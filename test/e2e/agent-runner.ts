/**
 * The agent of the user journey, started from the shell snippet the dashboard copied:
 *   valetkey login --enroll <CODE>
 *   valetkey read "vk://<Vault>/<Entry>/password" --reason "…"
 * With the agent CLI present (`valetkey login --help` succeeds) each line runs as that real
 * command; until then the same code and reference drive agent-process.ts, a separate process
 * speaking the agent endpoint's protocol with its own DPoP key.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { ROOT, cliEnv, runCli } from '../helpers/cli.js';

export interface ReadResult {
  readonly ok: boolean;
  readonly value?: string;
  /** The error code the agent was given. */
  readonly error?: string;
}

export interface Agent {
  readonly kind: 'valetkey CLI' | 'agent script';
  /** Runs the snippet's login line. */
  enroll(): Promise<ReadResult>;
  /** Runs the snippet's read line with `<Entry>` filled in, and another reason. */
  read(entry: string, reason: string): Promise<ReadResult>;
  close(): Promise<void>;
}

export interface Snippet {
  readonly code: string;
  /** With `<Entry>` still in it, as the dashboard shows it. */
  readonly ref: string;
}

/** Reads the two lines of the shell snippet, exactly in the agreed form. */
export function parseShellSnippet(text: string): Snippet {
  const [login, read] = text.trim().split('\n');
  const code = /^valetkey login --enroll (\S+)$/.exec(login ?? '')?.[1];
  const ref = /^valetkey read "(vk:\/\/[^"]+)" --reason "[^"]*"$/.exec(read ?? '')?.[1];
  if (code === undefined || ref === undefined) throw new Error(`not the agreed shell snippet:\n${text}`);
  return { code, ref };
}

export async function agentCliAvailable(home: string): Promise<boolean> {
  const r = await runCli(home, ['login', '--help']);
  return r.code === 0 && r.stdout.includes('--enroll');
}

export async function startAgent(home: string, snippet: Snippet, name: string): Promise<Agent> {
  return (await agentCliAvailable(home)) ? cliAgent(home, snippet) : scriptAgent(home, snippet, name);
}

/** The real CLI, with its own HOME so its credentials are its own. */
function cliAgent(home: string, snippet: Snippet): Agent {
  const own = mkdtempSync(join(tmpdir(), 'vk-agent-'));
  const env = { HOME: own, XDG_CONFIG_HOME: join(own, '.config'), XDG_DATA_HOME: join(own, '.local', 'share'), XDG_STATE_HOME: join(own, '.local', 'state') };
  const result = (r: { code: number | null; stdout: string; stderr: string }): ReadResult =>
    r.code === 0 ? { ok: true, value: r.stdout.replace(/\n$/, '') } : { ok: false, error: /\[([a-z_]+)\]/.exec(r.stderr)?.[1] ?? `exit ${r.code}` };
  return {
    kind: 'valetkey CLI',
    enroll: async () => result(await runCli(home, ['login', '--enroll', snippet.code], { env })),
    read: async (entry, reason) => result(await runCli(home, ['read', snippet.ref.replace('<Entry>', entry), '--reason', reason], { env })),
    close: async () => rmSync(own, { recursive: true, force: true }),
  };
}

function scriptAgent(home: string, snippet: Snippet, name: string): Agent {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'test', 'e2e', 'agent-process.ts')], {
    cwd: ROOT,
    env: cliEnv(home),
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const waiting = new Map<number, (r: ReadResult) => void>();
  createInterface({ input: child.stdout! }).on('line', (line) => {
    const answer = JSON.parse(line) as { id: number; ok: boolean; value?: string; error?: string };
    waiting.get(answer.id)?.({ ok: answer.ok, ...(answer.value === undefined ? {} : { value: answer.value }), ...(answer.error === undefined ? {} : { error: answer.error }) });
    waiting.delete(answer.id);
  });
  let next = 0;
  const send = (command: Record<string, unknown>): Promise<ReadResult> =>
    new Promise((resolve) => {
      const id = ++next;
      waiting.set(id, resolve);
      child.stdin!.write(`${JSON.stringify({ id, ...command })}\n`);
    });
  return {
    kind: 'agent script',
    enroll: () => send({ op: 'enroll', code: snippet.code, name }),
    read: (entry, reason) => send({ op: 'read', ref: snippet.ref.replace('<Entry>', entry), reason }),
    close: async () => {
      child.stdin!.end();
      child.kill();
    },
  };
}
