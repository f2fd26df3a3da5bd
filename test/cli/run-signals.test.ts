/**
 * `valetkey run` as a process wrapper: signals reach the child, and the child's exit status (or
 * 128 + the signal that ended it) is valetkey's. No vk:// reference, so no engine is needed.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { tempHome } from '../helpers/temp-home.js';
import { startCli } from './agent-cli-helpers.js';

const home = tempHome('vk-run-');
afterAll(() => home.cleanup());

describe('valetkey run', () => {
  it('forwards SIGTERM to the child and exits with its status', async () => {
    const child = "process.on('SIGTERM', () => { console.log('child got SIGTERM'); process.exit(42); }); console.log('ready'); setInterval(() => {}, 1000);";
    const run = startCli(home.dir, ['run', '--', process.execPath, '-e', child]);
    await run.waitFor('ready');
    run.child.kill('SIGTERM');
    const done = await run.done;
    expect(done.stdout).toContain('child got SIGTERM');
    expect(done.code).toBe(42);
  });

  it('reports a child killed by a signal as 128 + N, and a missing command as 127', async () => {
    const killed = startCli(home.dir, ['run', '--', process.execPath, '-e', "console.log('ready'); setInterval(() => {}, 1000);"]);
    await killed.waitFor('ready');
    killed.child.kill('SIGHUP');
    expect((await killed.done).code).toBe(129);
    const missing = await startCli(home.dir, ['run', '--', 'no-such-command-vk-test']).done;
    expect(missing.code).toBe(127);
    expect(missing.stderr).toContain('command not found');
  });
});
