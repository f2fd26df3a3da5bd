/**
 * An agent process that ends gives its ephemeral token up: when its event loop drains, when it
 * calls process.exit(), and on SIGTERM / SIGINT (after which it still dies of the signal). A
 * key-file token is meant to outlive the process and stays active: the control case.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, PROCESS_SETUP_TIMEOUT_MS, createToken, eventually, seed, startEngineProcess, tokenStatus, type EngineProcess, type Seeded } from './helpers/engine-process.js';

const CHILD = join(import.meta.dirname, 'fixtures', 'agent-child.ts');

interface ChildRun {
  readonly tokenId: string;
  readonly exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  kill(signal: NodeJS.Signals): void;
}

describe('revoke at exit (a real agent process)', () => {
  let e: EngineProcess;
  let s: Seeded;

  beforeAll(async () => {
    e = await startEngineProcess();
    s = await seed(e);
  }, PROCESS_SETUP_TIMEOUT_MS);

  afterAll(async () => {
    await e?.stop();
  });

  async function runChild(mode: string, name: string, extraEnv: Record<string, string> = {}): Promise<ChildRun> {
    const { code } = await createToken(e, { name, vaults: [s.accounting.id] });
    const env = { ...process.env, ...e.agentEnv({ VALETKEY_ENROLL_CODE: code, CHILD_NAME: name, ...extraEnv }) };
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, mode], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (c, sig) => resolve({ code: c, signal: sig })));
    const tokenId = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /^ready (\S+) (\d+)$/m.exec(out);
        if (m?.[1] !== undefined) resolve(m[1]);
      });
      void exit.then(() => reject(new Error(`child ended before it was ready: ${err}`)));
    });
    return { tokenId, exit, kill: (signal) => child.kill(signal) };
  }

  it('revokes when the event loop drains (beforeExit)', async () => {
    const run = await runChild('drain', 'drain-bot');
    expect(await run.exit).toEqual({ code: 0, signal: null });
    expect(await tokenStatus(e, run.tokenId)).toBe('revoked');
  });

  it('revokes on process.exit() (synchronously, from a helper process)', async () => {
    const run = await runChild('exit', 'exit-bot');
    expect(await run.exit).toEqual({ code: 0, signal: null });
    expect(await tokenStatus(e, run.tokenId)).toBe('revoked');
  });

  it.each(['SIGTERM', 'SIGINT'] as const)('revokes on %s and still dies of the signal', async (signal) => {
    const run = await runChild('signal', `signal-bot-${signal}`);
    expect(await tokenStatus(e, run.tokenId)).toBe('active');
    run.kill(signal);
    expect(await run.exit).toEqual({ code: null, signal });
    expect(await eventually(async () => ((await tokenStatus(e, run.tokenId)) === 'revoked' ? true : undefined))).toBe(true);
  });

  it('leaves a key-file token active: it is meant for the next run', async () => {
    const run = await runChild('keyfile', 'keyfile-bot', { CHILD_KEY_FILE: join(e.home, 'child-key.json') });
    expect(await run.exit).toEqual({ code: 0, signal: null });
    expect(await tokenStatus(e, run.tokenId)).toBe('active');
  });
});
