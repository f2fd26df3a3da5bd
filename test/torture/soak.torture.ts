/**
 * Soak: 64 agents (each its own token and key, half over TCP, half over the socket) resolve
 * secrets back to back for TORTURE_SOAK_SECONDS (default 300; `npm test` runs 60). Every answer
 * must be a 200 with the right value, and the engine's memory must stay flat: the floor of its RSS
 * (10th percentile of the samples, taken each second) in the last third may exceed the first
 * third's by at most SOAK_RSS_GROWTH_LIMIT. The floor, not the median: the garbage collector's
 * sawtooth moves RSS by ±100 MB under this load, while what a leak keeps raises the floor.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { percentile } from '../../bench/lib/load.js';
import { json, keepAliveAgent, send } from './keep-alive-client.js';
import { enrollAgent, freshHome, seedSecrets, startEngine, type RunningEngine } from './torture-engine.js';
import type { TortureAgent } from './torture-agent.js';

const SECONDS = Number(process.env.TORTURE_SOAK_SECONDS ?? 300);
const AGENTS = 64;
/** Generous on purpose: the heap settles over the first minutes; a leak grows without end. */
const SOAK_RSS_GROWTH_LIMIT = { ratio: 0.25, plusMb: 40 };

describe('soak', () => {
  const home = freshHome('vk-ts-');
  let engine: RunningEngine | undefined;
  afterAll(async () => {
    await engine?.daemon.stop('SIGKILL');
    home.cleanup();
  });

  it(`${AGENTS} concurrent agents for ${SECONDS} s: no errors, memory flat`, async () => {
    engine = await startEngine(home.dir);
    const e = engine;
    const secrets = await seedSecrets(e, 'soak-vault', 8, 'soak');
    const agents: TortureAgent[] = [];
    for (let i = 0; i < AGENTS; i++) agents.push(await enrollAgent(e, `soak-agent-${i}`, ['soak-vault']));

    const errors = new Map<string, number>();
    const latencies: number[] = [];
    const rss: number[] = [];
    let stop = false;
    const run = async (agent: TortureAgent, a: number): Promise<void> => {
      const target = a % 2 === 0 ? e.tcp : e.socket;
      const http = keepAliveAgent(1);
      for (let i = 0; !stop; i++) {
        const ref = secrets.refs[(a + i) % secrets.refs.length] ?? '';
        const t0 = process.hrtime.bigint();
        let answer = await send(http, target, agent.resolve(target, [ref], `soak ${agent.name} #${i}`));
        if (answer.status === 0 && answer.reused) answer = await send(http, target, agent.resolve(target, [ref], `soak ${agent.name} #${i} again`));
        latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
        const ok = answer.status === 200 && (json(answer)?.values as Record<string, unknown> | undefined)?.[ref] === secrets.values.get(ref);
        if (!ok) {
          const key = `${answer.status} ${answer.status === 0 ? answer.error : String(json(answer)?.error ?? answer.text.slice(0, 60))}`;
          errors.set(key, (errors.get(key) ?? 0) + 1);
        }
      }
      http.destroy();
    };
    const started = Date.now();
    const running = Promise.all(agents.map(run));
    while (Date.now() - started < SECONDS * 1000) {
      await sleep(1000);
      rss.push(e.rssMb());
    }
    stop = true;
    await running;
    const seconds = (Date.now() - started) / 1000;

    const third = Math.max(1, Math.floor(rss.length / 3));
    const floor = (xs: number[]) => percentile([...xs].sort((x, y) => x - y), 0.1);
    const first = floor(rss.slice(0, third));
    const last = floor(rss.slice(-third));
    const sorted = [...latencies].sort((x, y) => x - y);
    console.log(
      `soak: ${AGENTS} agents, ${seconds.toFixed(0)} s, ${latencies.length.toLocaleString('en')} reads (${Math.round(latencies.length / seconds)}/s), ` +
        `p50 ${percentile(sorted, 0.5).toFixed(1)} ms, p99 ${percentile(sorted, 0.99).toFixed(1)} ms; errors ${errors.size === 0 ? 'none' : JSON.stringify([...errors])}; ` +
        `RSS floor (p10) first third ${first.toFixed(0)} MB, last third ${last.toFixed(0)} MB (min ${Math.min(...rss).toFixed(0)}, max ${Math.max(...rss).toFixed(0)}); ` +
        `RSS by tenths: ${tenths(rss).map((x) => x.toFixed(0)).join(' ')} MB`,
    );
    expect([...errors]).toEqual([]);
    expect(latencies.length).toBeGreaterThan(AGENTS * 10);
    expect(last).toBeLessThan(first * (1 + SOAK_RSS_GROWTH_LIMIT.ratio) + SOAK_RSS_GROWTH_LIMIT.plusMb);
    expect(e.alive()).toBe(true);
    const verification = await e.admin.verifyAudit({});
    expect(verification.ok, verification.problem).toBe(true);
    expect(await e.daemon.stop()).toBe(0);
    engine = undefined;
  });
});

/** The median RSS of each tenth of the run, to show the shape (a plateau, or a slope). */
function tenths(samples: readonly number[]): number[] {
  const size = Math.max(1, Math.floor(samples.length / 10));
  return Array.from({ length: Math.min(10, samples.length) }, (_, i) => {
    const part = [...samples.slice(i * size, (i + 1) * size)].sort((x, y) => x - y);
    return part[Math.floor(part.length / 2)] ?? Number.NaN;
  });
}
