/**
 * The engine's Node flags (src/core/daemon/engine-node-flags.ts) bound the young generation and
 * expose gc() to the idle collection, and every launcher of the engine passes them: Electron's utility process and `npm start` headless.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ENGINE_NODE_FLAGS } from '../../../src/core/daemon/engine-node-flags.js';

const ROOT = join(import.meta.dirname, '..', '..', '..');

/** The young generation's size after a burst of short-lived garbage, in a node started with `flags`. */
function newSpaceMbAfterBurst(flags: readonly string[]): number {
  const script = `
    let keep = [];
    for (let i = 0; i < 1e6; i++) { keep.push({ i, s: 'x' + i }); if (keep.length > 20000) keep = []; }
    const s = require('node:v8').getHeapSpaceStatistics().find((x) => x.space_name === 'new_space');
    process.stdout.write(String(s.space_size / 1048576));`;
  const r = spawnSync(process.execPath, [...flags, '-e', script], { encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  return Number(r.stdout);
}

describe('engine Node flags', () => {
  it('keep the young generation small under a burst, where the default grows it', () => {
    expect(newSpaceMbAfterBurst(ENGINE_NODE_FLAGS)).toBeLessThanOrEqual(4);
    expect(newSpaceMbAfterBurst([])).toBeGreaterThan(4);
  });

  it('expose gc() for the idle collection (src/core/daemon/idle-collector.ts)', () => {
    const r = spawnSync(process.execPath, [...ENGINE_NODE_FLAGS, '-e', 'process.stdout.write(typeof gc)'], { encoding: 'utf8' });
    expect(r.stdout).toBe('function');
  });

  it('are passed by every launcher of the engine', () => {
    expect(readFileSync(join(ROOT, 'src', 'main', 'engine-host.ts'), 'utf8')).toContain('execArgv: [...ENGINE_NODE_FLAGS]');
    const start = readFileSync(join(ROOT, 'scripts', 'start.mjs'), 'utf8');
    expect(start).toContain(`${ENGINE_NODE_FLAGS.map((flag) => `'${flag}'`).join(', ')}, valetkey, 'daemon'`);
  });
});
