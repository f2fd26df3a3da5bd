/**
 * One full garbage collection when the engine goes quiet after work. Under a burst of agents V8
 * promotes request garbage into old space; once the requests stop nothing allocates, so nothing
 * triggers the collection that would give those pages back, and the engine stayed at 130–150 MB
 * after the load runs instead of ~85 MB idle. V8's own memory reducer waits 8 s or more, and did
 * not always run. Chrome collects in idle time for the same reason.
 */
import { cpuUsage } from 'node:process';
import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** How often the engine looks at its CPU time and heap. Two cheap reads, no allocation to speak of. */
export const IDLE_POLL_MS = 500;
/** Idle: under 10 % of one core over the last poll. */
const IDLE_CPU_MICROS = 50_000;
/** Collect only when the heap grew this much over the last collection: never a GC per quiet poll. */
const GROWTH_BYTES = 8 * 1024 * 1024;

export interface IdleCollectorProbes {
  /** CPU time (µs, all threads) the process used since the previous call. */
  cpuMicrosSinceLast(): number;
  /** The V8 heap's committed size. */
  heapBytes(): number;
  collect(): void;
}

export interface IdleCollector {
  /** One poll; true if it collected. */
  tick(): boolean;
}

export function idleCollector(probes: IdleCollectorProbes): IdleCollector {
  let baseline = probes.heapBytes();
  return {
    tick() {
      const busy = probes.cpuMicrosSinceLast() >= IDLE_CPU_MICROS;
      const heap = probes.heapBytes();
      if (busy || heap < baseline + GROWTH_BYTES) {
        // V8 shrank the heap itself: measure growth from there.
        if (heap < baseline) baseline = heap;
        return false;
      }
      probes.collect();
      baseline = probes.heapBytes();
      return true;
    },
  };
}

/**
 * V8's full collection. The engine's launchers pass `--expose-gc` (src/core/daemon/engine-node-flags.ts);
 * an engine started another way (`valetkey daemon` typed by a person, tests' daemons) turns the flag
 * on now and takes `gc` from a fresh context, as Jest does for its heap figures: the flag only
 * affects contexts made after it, so the engine's own global stays as it was. Nothing an agent
 * sends can reach it: agents talk HTTP to the engine, they never run code in it.
 */
export function engineGc(): (() => void) | undefined {
  const exposed: unknown = Reflect.get(globalThis, 'gc');
  if (typeof exposed === 'function') return () => void Reflect.apply(exposed, globalThis, []);
  setFlagsFromString('--expose-gc');
  const fresh: unknown = runInNewContext('gc');
  if (typeof fresh !== 'function') return undefined;
  return () => void Reflect.apply(fresh, undefined, []);
}

/** Polls until stopped. A no-op where V8 gives no `gc` (only memory is at stake, never an answer). */
export function startIdleCollector(): { stop(): void } {
  const gc = engineGc();
  if (gc === undefined) return { stop: () => undefined };
  let last = cpuUsage();
  const collector = idleCollector({
    cpuMicrosSinceLast: () => {
      const used = cpuUsage(last);
      last = cpuUsage();
      return used.user + used.system;
    },
    heapBytes: () => getHeapStatistics().total_heap_size,
    // The first collection frees the garbage but leaves the pages it was spread over half-empty and
    // committed (77 → 48 MB after the load runs); the second compacts them (→ 25 MB).
    collect: () => {
      gc();
      gc();
    },
  });
  const timer = setInterval(() => collector.tick(), IDLE_POLL_MS);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
