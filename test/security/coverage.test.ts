/**
 * docs/security.md's attack list is a contract: every item is a test. This reads the list and the
 * test files, so the suite cannot silently lose an attack (a renamed, deleted or skipped test).
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
const TEST_DIR = join(ROOT, 'test');
const SECURITY_MD = join(ROOT, 'docs', 'security.md');
/** Attacks whose feature is still being built: a todo title keeps their place. Shrink, never grow. */
const PENDING = new Set<number>([]);

/** Numbers of the items in docs/security.md's "Attack list" section (one `N. ...` a line), in order. */
function attackNumbers(): number[] {
  if (!existsSync(SECURITY_MD)) throw new Error(`docs/security.md not found at ${SECURITY_MD}`);
  const text = readFileSync(SECURITY_MD, 'utf8');
  const start = text.indexOf('## Attack list');
  if (start < 0) throw new Error('docs/security.md has no "## Attack list" section');
  const section = text.slice(start).split(/\n## /)[0] ?? '';
  return [...section.matchAll(/\n(\d+)\.\s/g)].map((m) => Number(m[1]));
}

function testFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'node_modules' ? [] : testFiles(path);
    return name.endsWith('.test.ts') ? [path] : [];
  });
}

interface Title {
  readonly attack: number;
  readonly todo: boolean;
  readonly file: string;
}

/** Titles `attack N: ...` of it()/test() calls, including it.todo, it.skipIf(...)() and templates. */
const TITLE = /\b(it|test)((?:\.\w+(?:\([^()]*\))?)*)\(\s*[`'"]attack (\d+):/g;

function attackTitles(): Title[] {
  return testFiles(TEST_DIR).flatMap((file) =>
    [...readFileSync(file, 'utf8').matchAll(TITLE)].map((m) => ({ attack: Number(m[3]), todo: (m[2] ?? '').includes('.todo'), file: relative(ROOT, file) })),
  );
}

describe('docs/security.md attack coverage', () => {
  const listed = attackNumbers();
  const titles = attackTitles();

  it('reads a contiguous list of attacks, numbered from 1, from docs/security.md', () => {
    expect(listed.length).toBeGreaterThanOrEqual(41);
    expect(listed).toEqual(Array.from({ length: listed.length }, (_, i) => i + 1));
  });

  it('has a test titled `attack N:` for every attack in the list', () => {
    const covered = new Set(titles.map((t) => t.attack));
    expect(listed.filter((n) => !covered.has(n)), 'attacks with no test').toEqual([]);
    expect(titles.filter((t) => !listed.includes(t.attack)).map((t) => `${t.file}: attack ${t.attack}`), 'titles naming no listed attack').toEqual([]);
  });

  it('leaves only the known pending attacks as todos', () => {
    const real = new Set(titles.filter((t) => !t.todo).map((t) => t.attack));
    const todoOnly = listed.filter((n) => !real.has(n));
    expect(todoOnly.filter((n) => !PENDING.has(n)), 'attacks that are only a todo').toEqual([]);
  });

  it('finds the whole suite under test/security/', () => {
    const inSuite = new Set(titles.filter((t) => t.file.startsWith(join('test', 'security'))).map((t) => t.attack));
    expect(listed.filter((n) => !inSuite.has(n))).toEqual([]);
  });
});
