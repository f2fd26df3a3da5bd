/** Drives agent-process.ts in its own process: one JSON line per command, answers matched by id. */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { ROOT } from '../helpers/cli.js';

const SCRIPT = join(import.meta.dirname, 'agent-process.ts');

export interface AgentAnswer {
  readonly status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- test convenience: the parsed JSON body
  readonly body: any;
  readonly hadToken: boolean;
}

/** One request of the agent's `walk` (agent-process.ts): what it asked and what it got. */
export interface WalkStep {
  readonly step: string;
  readonly status: number;
  readonly error?: string;
  readonly values?: Record<string, string>;
  /** For listings: each item's keys, so a test can see that every entry has the same shape. */
  readonly shapes?: string[];
}

export class AgentProcess {
  private nextId = 1;
  private readonly waiting = new Map<number, (answer: Record<string, unknown>) => void>();
  private stderr = '';

  private constructor(private readonly child: ChildProcessWithoutNullStreams) {
    createInterface({ input: child.stdout }).on('line', (line) => {
      const answer = JSON.parse(line) as { id: number } & Record<string, unknown>;
      this.waiting.get(answer.id)?.(answer);
      this.waiting.delete(answer.id);
    });
    child.stderr.on('data', (d: Buffer) => (this.stderr += d.toString()));
    child.on('exit', (code) => {
      for (const resolve of this.waiting.values()) resolve({ failed: `agent exited (${code}): ${this.stderr}` });
      this.waiting.clear();
    });
  }

  /** A new agent process with a fresh key, talking to the engine of `dataDir`. */
  static start(dataDir: string, via: 'tcp' | 'socket' = 'tcp'): AgentProcess {
    const child = spawn(process.execPath, ['--import', 'tsx', SCRIPT, dataDir, via], { cwd: ROOT, env: { ...process.env }, stdio: ['pipe', 'pipe', 'pipe'] });
    return new AgentProcess(child);
  }

  /** Send a command; resolves with the agent's answer (rejects if the agent could not run it). */
  send(op: string, args: Record<string, unknown> = {}): Promise<AgentAnswer> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, (answer) => (typeof answer.failed === 'string' ? reject(new Error(answer.failed)) : resolve(answer as unknown as AgentAnswer)));
      this.child.stdin.write(`${JSON.stringify({ id, op, ...args })}\n`);
    });
  }

  async jkt(): Promise<string> {
    return ((await this.send('info')) as unknown as { jkt: string }).jkt;
  }

  /** Let it finish what it is doing, and exit. */
  close(): Promise<number | null> {
    return new Promise((resolve) => {
      if (this.child.exitCode !== null) return resolve(this.child.exitCode);
      this.child.once('exit', (code) => resolve(code));
      this.child.stdin.end();
    });
  }
}
