/**
 * The summary line of `npm test` (scripts/test-summary.mjs), fed with reports shaped like Vitest's
 * JSON reporter writes them (taken from real runs): a suite that dies in a hook or at import must
 * count as failed even though Vitest's own numFailedTests says 0.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { formatTotal, parseArgs, sumTallies, tallyStep, tallyVitest } from '../../scripts/test-summary.mjs';

const script = fileURLToPath(new URL('../../scripts/test-summary.mjs', import.meta.url));

const file = (name: string, status: 'passed' | 'failed', tests: readonly string[], message = '') => ({
  name: `/repo/test/${name}`,
  status,
  message,
  assertionResults: tests.map((s, i) => ({ title: `t${i}`, status: s })),
});

const report = (files: ReturnType<typeof file>[], top: Record<string, unknown> = {}) => {
  const tests = files.flatMap((f) => f.assertionResults);
  const n = (s: string) => tests.filter((t) => t.status === s).length;
  return {
    numTotalTestSuites: files.length,
    numFailedTestSuites: files.filter((f) => f.status === 'failed').length,
    numPassedTests: n('passed'),
    numFailedTests: n('failed'),
    numPendingTests: n('skipped'),
    numTodoTests: n('todo'),
    success: files.every((f) => f.status === 'passed'),
    testResults: files,
    ...top,
  };
};

const green = report([file('a.test.ts', 'passed', ['passed', 'passed', 'skipped']), file('b.test.ts', 'passed', ['passed', 'todo'])]);
const hookDied = report([
  file('a.test.ts', 'passed', ['passed']),
  file('engine.test.ts', 'failed', ['skipped', 'skipped', 'skipped'], 'Hook timed out in 60000ms.\nIf this is a long-running hook, pass a timeout'),
]);
const importDied = report([file('a.test.ts', 'passed', ['passed', 'passed']), file('broken.test.ts', 'failed', [], 'Cannot find module ./gone.js')]);

describe('tallyVitest', () => {
  it('counts an all-green report as it is', () => {
    expect(tallyVitest('vitest', green, 0)).toEqual({ passed: 3, failed: 0, skipped: 2, problems: [] });
  });

  it('counts a file whose beforeAll died as failed, and its tests that never ran as not skipped', () => {
    expect(hookDied.numFailedTests).toBe(0);
    const t = tallyVitest('vitest', hookDied, 1);
    expect(t).toMatchObject({ passed: 1, failed: 1, skipped: 0 });
    expect(t.problems).toEqual(['vitest: FAILED /repo/test/engine.test.ts: Hook timed out in 60000ms.']);
  });

  it('counts a file that failed with no test at all (an import error)', () => {
    const t = tallyVitest('vitest', importDied, 1);
    expect(t).toMatchObject({ passed: 2, failed: 1, skipped: 0 });
    expect(t.problems[0]).toContain('broken.test.ts: Cannot find module');
  });

  it('does not count a file twice when one of its tests failed', () => {
    const r = report([file('a.test.ts', 'failed', ['passed', 'failed', 'failed'])]);
    const t = tallyVitest('vitest', r, 1);
    expect(t).toMatchObject({ passed: 1, failed: 2 });
    expect(t.problems).toEqual(['vitest: FAILED /repo/test/a.test.ts: failed: t1; t2']);
  });

  it('counts a missing report as a failure', () => {
    expect(tallyVitest('vitest', undefined, 0)).toMatchObject({ passed: 0, failed: 1 });
    expect(tallyVitest('vitest', 'not json', 1).problems[0]).toContain('no readable JSON report');
  });

  it('counts a non-zero exit with a green report (an unhandled error) as a failure', () => {
    const t = tallyVitest('vitest', green, 1);
    expect(t).toMatchObject({ passed: 3, failed: 1 });
    expect(t.problems[0]).toContain('vitest exited 1');
    expect(tallyVitest('vitest', { ...green, success: false }, 0).failed).toBe(1);
  });
});

describe('the total', () => {
  it('adds steps and reports; a failed step is one failure', () => {
    expect(tallyStep('lint', 0).failed).toBe(0);
    const total = sumTallies([tallyStep('lint', 2), tallyVitest('vitest', green, 0), tallyVitest('torture', hookDied, 1)]);
    expect(formatTotal(total)).toBe('total: 4 passed, 2 failed, 2 skipped');
    expect(total.problems[0]).toBe('lint: step failed (exit 2)');
  });

  it('refuses arguments it does not understand rather than counting nothing', () => {
    expect(parseArgs(['--step', 'lint=0', '--vitest', 'unit=1:/tmp/r.json'])).toEqual([
      { kind: 'step', name: 'lint', exit: 0 },
      { kind: 'vitest', name: 'unit', exit: 1, report: '/tmp/r.json' },
    ]);
    expect(() => parseArgs(['--vitest', 'unit=0'])).toThrow(/usage/);
    expect(() => parseArgs(['--step', 'lint'])).toThrow(/usage/);
    expect(() => parseArgs(['--bogus', 'x=0'])).toThrow(/usage/);
  });
});

describe('the command', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'vk-summary-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const run = (...args: string[]) => spawnSync(process.execPath, [script, ...args], { encoding: 'utf8' });

  it('prints the total last and exits 0 when all is green', () => {
    writeFileSync(join(dir, 'green.json'), JSON.stringify(green));
    const out = run('--step', 'lint=0', '--vitest', `vitest=0:${join(dir, 'green.json')}`);
    expect(out.status).toBe(0);
    expect(out.stdout.trim().split('\n').at(-1)).toBe('total: 3 passed, 0 failed, 2 skipped');
  });

  it('exits 1 with the failure named when a hook died, and when the report is missing', () => {
    writeFileSync(join(dir, 'hook.json'), JSON.stringify(hookDied));
    const hook = run('--vitest', `vitest=1:${join(dir, 'hook.json')}`);
    expect(hook.status).toBe(1);
    expect(hook.stdout).toContain('FAILED /repo/test/engine.test.ts');
    expect(hook.stdout.trim().split('\n').at(-1)).toBe('total: 1 passed, 1 failed, 0 skipped');

    const missing = run('--vitest', `vitest=0:${join(dir, 'absent.json')}`);
    expect(missing.status).toBe(1);
    expect(missing.stdout.trim().split('\n').at(-1)).toBe('total: 0 passed, 1 failed, 0 skipped');
  });

  it('exits non-zero on bad arguments', () => {
    expect(run('--step').status).not.toBe(0);
  });
});
