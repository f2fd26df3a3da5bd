/**
 * The engine's idle collection (src/core/daemon/idle-collector.ts): one full GC when the process
 * goes quiet after its heap grew, none while busy or for small growth, and the real thing in a
 * Node started with the engine's flags.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ENGINE_NODE_FLAGS } from '../../../src/core/daemon/engine-node-flags.js';
import { idleCollector } from '../../../src/core/daemon/idle-collector.js';

const MB = 1024 * 1024;

/** Scripted CPU and heap readings in place of the process's own counters, so each poll is decided by the test. */
function scripted(startHeap: number) {
  const state = { cpu: 0, heap: startHeap, collections: 0, heapAfterCollect: startHeap };
  const collector = idleCollector({
    cpuMicrosSinceLast: () => state.cpu,
    heapBytes: () => state.heap,
    collect: () => {
      state.collections++;
      state.heap = state.heapAfterCollect;
    },
  });
  return { state, collector };
}

describe('idle collector', () => {
  it('collects once on the first quiet poll after the heap grew, never while busy', () => {
    const { state, collector } = scripted(20 * MB);
    state.cpu = 400_000;
    state.heap = 70 * MB;
    expect(collector.tick()).toBe(false);
    expect(collector.tick()).toBe(false);
    state.cpu = 1_000;
    state.heapAfterCollect = 27 * MB;
    expect(collector.tick()).toBe(true);
    expect(collector.tick()).toBe(false);
    expect(collector.tick()).toBe(false);
    expect(state.collections).toBe(1);
  });

  it('leaves small growth to V8, and measures growth from where V8 shrank the heap itself', () => {
    const { state, collector } = scripted(40 * MB);
    state.heap = 46 * MB;
    expect(collector.tick()).toBe(false);
    state.heap = 20 * MB;
    expect(collector.tick()).toBe(false);
    state.heap = 30 * MB;
    expect(collector.tick()).toBe(true);
    expect(state.collections).toBe(1);
  });

  it('runs in a Node started with the engine flags and gives the garbage back', () => {
    // The child keeps ~30 MB alive long enough to reach old space, drops it, goes quiet, and
    // reports once the collector has called gc() and the heap is back under its peak.
    const script = `
      import { getHeapStatistics } from 'node:v8';
      import { startIdleCollector } from ${JSON.stringify(join(import.meta.dirname, '..', '..', '..', 'src', 'core', 'daemon', 'idle-collector.ts'))};
      const real = globalThis.gc;
      let calls = 0;
      globalThis.gc = () => { calls++; real(); };
      const idle = startIdleCollector();
      let keep = [];
      for (let i = 0; i < 600; i++) keep.push(new Array(12_000).fill(i).map((x) => ({ x })).slice(0, 1000));
      const peak = getHeapStatistics().total_heap_size;
      keep = null;
      const check = setInterval(() => {
        const now = getHeapStatistics().total_heap_size;
        if (calls > 0 && now < peak / 2) { clearInterval(check); idle.stop(); console.log('collected'); }
      }, 100);`;
    const r = spawnSync(process.execPath, [...ENGINE_NODE_FLAGS, '--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8', timeout: 60_000 });
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe('collected');
  });

  it('gets V8\'s collection in a Node started without the engine flags, leaving the global as it was', () => {
    // As `valetkey daemon` typed by a person runs: no --expose-gc. 30 MB kept, then dropped: only a
    // full collection gives it back before the next allocation.
    const script = `
      import { getHeapStatistics } from 'node:v8';
      import { engineGc } from ${JSON.stringify(join(import.meta.dirname, '..', '..', '..', 'src', 'core', 'daemon', 'idle-collector.ts'))};
      const gc = engineGc();
      let keep = [];
      for (let i = 0; i < 600; i++) keep.push(new Array(12_000).fill(i).map((x) => ({ x })).slice(0, 1000));
      const peak = getHeapStatistics().used_heap_size;
      keep = null;
      gc();
      console.log(JSON.stringify({ global: typeof globalThis.gc, collected: getHeapStatistics().used_heap_size < peak / 2 }));`;
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8', timeout: 60_000 });
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout.trim())).toEqual({ global: 'undefined', collected: true });
  });
});
