/**
 * The built CLI (`npm run build:cli`): agent commands and the daemon's start never load zod
 * (~80 ms to import). The agent's commands run from one CommonJS file (out/cli/valetkey.cjs), the
 * others from ESM chunks. Only the admin and wire schemas' own chunks pull it in, and the engine
 * imports those lazily. Follows each chunk's static imports, as Node would load them before running anything.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';

const CHUNKS = 'out/cli/chunks';

function chunk(prefix: string): string {
  const found = readdirSync(CHUNKS).find((f) => f.startsWith(`${prefix}-`) && f.endsWith('.mjs'));
  if (found === undefined) throw new Error(`no ${prefix} chunk in ${CHUNKS}: run npm run build:cli`);
  return join(CHUNKS, found);
}

/** Every file loaded before `file` runs: its static imports, transitively (dynamic import() excluded). */
function staticGraph(file: string): string[] {
  const seen = new Set<string>();
  const stack = [file];
  for (let f = stack.pop(); f !== undefined; f = stack.pop()) {
    if (seen.has(f)) continue;
    seen.add(f);
    for (const m of readFileSync(f, 'utf8').matchAll(/^\s*(?:import|export)\s[^;]*?from\s*["'](\.[^"']+)["']|^\s*import\s*["'](\.[^"']+)["']/gm)) {
      const target = m[1] ?? m[2];
      if (target !== undefined) stack.push(join(dirname(f), target));
    }
  }
  return [...seen];
}

const loadsZod = (files: readonly string[]) => files.filter((f) => readFileSync(f, 'utf8').includes('$ZodType'));

describe('CLI bundle', () => {
  it.each(['secret-commands', 'login-commands', 'run-command', 'daemon'])('%s loads no zod before it runs', (prefix) => {
    expect(loadsZod(staticGraph(chunk(prefix)))).toEqual([]);
    expect(loadsZod(staticGraph('out/cli/valetkey.mjs'))).toEqual([]);
  });

  it('the agent bundle holds no zod', () => {
    expect(loadsZod(['out/cli/valetkey.cjs'])).toEqual([]);
  });

  it.each(['admin-schemas', 'wire-schemas'])('the %s chunk does load it (so the checks above can fail)', (prefix) => {
    expect(loadsZod(staticGraph(chunk(prefix))).length).toBeGreaterThan(0);
  });
});
