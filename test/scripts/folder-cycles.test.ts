/**
 * The folders inside src/core import each other in one direction: a folder that builds on another
 * is never imported back by it. Reads every import in src/core, groups files by folder (files at
 * the top are the composition root, `.`) and finds the groups of folders that reach each other.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const CORE = fileURLToPath(new URL('../../src/core', import.meta.url));
const IMPORT = /(?:import|export)[^'"]*?from\s+['"](\.[^'"]+)['"]/g;

/**
 * Cycles that remain, each to be broken rather than grown: the composition root with the daemon and
 * headless dashboard that start it, and the settings table whose paused flag carries a row MAC.
 */
const KNOWN = [['.', 'daemon', 'dashboard'], ['config', 'integrity']];

type Graph = ReadonlyMap<string, ReadonlySet<string>>;

function folderOf(file: string): string {
  const rel = relative(CORE, file);
  return rel.includes('/') ? (rel.split('/')[0] ?? '.') : '.';
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? sourceFiles(join(dir, d.name)) : d.name.endsWith('.ts') ? [join(dir, d.name)] : [],
  );
}

function coreGraph(): Graph {
  const graph = new Map<string, Set<string>>();
  for (const file of sourceFiles(CORE)) {
    const from = folderOf(file);
    for (const m of readFileSync(file, 'utf8').matchAll(IMPORT)) {
      const target = normalize(join(dirname(file), m[1] ?? ''));
      if (!target.startsWith(`${CORE}/`)) continue;
      const to = folderOf(target);
      if (to !== from) graph.set(from, (graph.get(from) ?? new Set()).add(to));
    }
  }
  return graph;
}

/** Groups of two or more folders that reach each other (Tarjan's strongly connected components). */
function cycles(graph: Graph): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const found: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, index.size);
    low.set(v, index.get(v) ?? 0);
    stack.push(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v) ?? 0, low.get(w) ?? 0));
      } else if (stack.includes(w)) low.set(v, Math.min(low.get(v) ?? 0, index.get(w) ?? 0));
    }
    if (low.get(v) !== index.get(v)) return;
    const group: string[] = [];
    for (let w = stack.pop(); w !== undefined; w = w === v ? undefined : stack.pop()) group.push(w);
    if (group.length > 1) found.push(group.sort());
  };
  for (const v of [...graph.keys()].sort()) if (!index.has(v)) visit(v);
  return found.sort((a, b) => (a[0] ?? '').localeCompare(b[0] ?? ''));
}

describe('folder cycles in src/core', () => {
  it('finds a cycle, and only a cycle', () => {
    const g = new Map([['a', new Set(['b'])], ['b', new Set(['c'])], ['c', new Set(['a'])], ['d', new Set(['a'])]]);
    expect(cycles(g)).toEqual([['a', 'b', 'c']]);
    expect(cycles(new Map([['a', new Set(['b'])], ['b', new Set(['c'])]]))).toEqual([]);
  });

  it('has none beyond the known ones', () => {
    expect(cycles(coreGraph())).toEqual(KNOWN);
  });

  it('keeps admin, audit-out, backup, import, tokens and tripwires out of every cycle', () => {
    const inCycles = new Set(cycles(coreGraph()).flat());
    expect(['admin', 'audit-out', 'backup', 'import', 'tokens', 'tripwires'].filter((f) => inCycles.has(f))).toEqual([]);
  });
});
