import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runForwarding } from '../../scripts/run-forwarding.mjs';

const forwardingModule = fileURLToPath(new URL('../../scripts/run-forwarding.mjs', import.meta.url));

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'vk-forward-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('runForwarding', () => {
  it("settles with the child's exit code", async () => {
    await expect(runForwarding(process.execPath, ['-e', 'process.exit(7)'], { stdio: 'ignore' })).resolves.toBe(7);
    await expect(runForwarding(process.execPath, ['-e', ''], { stdio: 'ignore' })).resolves.toBe(0);
  });

  it('rejects when the command cannot start', async () => {
    await expect(runForwarding(join(dir, 'no-such-program'), [], { stdio: 'ignore' })).rejects.toThrow();
  });

  it('forwards SIGTERM to the child and exits with its code', async () => {
    // A child that says it is ready, then exits 42 on SIGTERM; a wrapper runs it via runForwarding.
    const child = join(dir, 'child.mjs');
    writeFileSync(child, "process.on('SIGTERM', () => process.exit(42)); console.log('ready'); setInterval(() => {}, 1000);\n");
    const wrapper = join(dir, 'wrapper.mjs');
    writeFileSync(
      wrapper,
      `import { runForwarding } from ${JSON.stringify(forwardingModule)};\n` +
        `process.exitCode = await runForwarding(process.execPath, [${JSON.stringify(child)}]);\n`,
    );
    const proc = spawn(process.execPath, [wrapper], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve) => proc.stdout.on('data', (d: Buffer) => d.toString().includes('ready') && resolve()));
    proc.kill('SIGTERM');
    const code = await new Promise<number | null>((resolve) => proc.on('exit', (c) => resolve(c)));
    expect(code).toBe(42);
  });
});
