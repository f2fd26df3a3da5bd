/**
 * The order files start in: long files first within their project, everything else in Vitest's
 * order, projects not mixed, and every long file named there still exists (a renamed one would
 * silently lose its place).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { TestSpecification, Vitest } from 'vitest/node';
import { ROOT } from '../helpers/cli.js';
import { LONG_FILES, LongFirstSequencer } from '../helpers/long-first-sequencer.js';

/** What the sequencer reads of a file: its path and its project's name and group. */
function spec(project: string, groupOrder: number, path: string): TestSpecification {
  return { moduleId: join(ROOT, path), project: { name: project, config: { sequence: { groupOrder }, isolate: true } } } as unknown as TestSpecification;
}

// A clean clone: no timings or sizes from an earlier run.
const ctx = { config: { root: ROOT }, cache: { getFileTestResults: () => undefined, getFileStats: () => undefined } } as unknown as Vitest;

describe('LongFirstSequencer', () => {
  it('names only files that exist', () => {
    for (const name of LONG_FILES) expect(existsSync(join(ROOT, name)), name).toBe(true);
  });

  it('starts long files first within their project and keeps the rest in order', async () => {
    const files = [
      spec('unit', 0, 'test/a.test.ts'),
      spec('unit', 0, LONG_FILES[7]!),
      spec('unit', 0, 'test/b.test.ts'),
      spec('unit', 0, LONG_FILES[6]!),
      spec('process', 1, 'test/c.test.ts'),
      spec('process', 1, LONG_FILES[0]!),
    ];
    const sorted = await new LongFirstSequencer(ctx).sort(files);
    expect(sorted.map((f) => [f.project.name, f.moduleId.slice(ROOT.length + 1)])).toEqual([
      ['unit', LONG_FILES[6]],
      ['unit', LONG_FILES[7]],
      ['unit', 'test/a.test.ts'],
      ['unit', 'test/b.test.ts'],
      ['process', LONG_FILES[0]],
      ['process', 'test/c.test.ts'],
    ]);
  });
});
