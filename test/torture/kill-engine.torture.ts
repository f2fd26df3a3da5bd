/**
 * kill -9 of the engine under load. 32 workers (8 agents, half over TCP, half over the socket)
 * resolve secrets with a reason unique to each request; mid-burst the engine gets SIGKILL. Then:
 * the database passes PRAGMA integrity_check, the engine restarts, every secret an agent RECEIVED
 * (a 200 carrying the right value) has its audit row (matched by that reason, one per entry), and
 * the chain verifies. Three cycles, the same agents and tokens throughout.
 */
import BetterSqlite3 from 'better-sqlite3';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { json, keepAliveAgent, send, type Target } from './keep-alive-client.js';
import { seededRandom, tortureSeed, type Random } from './seeded-random.js';
import { allAuditRows, enrollAgent, freshHome, seedSecrets, startEngine, type RunningEngine, type Secrets } from './torture-engine.js';
import type { TortureAgent } from './torture-agent.js';

const CYCLES = 3;
const WORKERS_PER_AGENT = 4;

interface Burst {
  /** reason → entry ids whose values the agent received. */
  readonly received: Map<string, readonly string[]>;
  readonly unexpected: string[];
  readonly lostInFlight: number;
}

describe('kill -9 of the engine under load', () => {
  const home = freshHome('vk-tk-');
  let engine: RunningEngine | undefined;
  afterAll(async () => {
    await engine?.daemon.stop('SIGKILL');
    home.cleanup();
  });

  it('every secret an agent received has its audit row, the chain verifies, the database is intact', async () => {
    const rng = seededRandom(tortureSeed());
    engine = await startEngine(home.dir);
    const secrets = await seedSecrets(engine, 'crash-vault', 4, 'kill');
    const agents: TortureAgent[] = [];
    for (let i = 0; i < 8; i++) agents.push(await enrollAgent(engine, `kill-agent-${i}`, ['crash-vault']));

    for (let cycle = 0; cycle < CYCLES; cycle++) {
      const killAfter = 300 + rng.int(400);
      const burst = await burstThenKill(engine, agents, secrets, rng, cycle, killAfter);
      expect(burst.unexpected, 'answers other than 200 before the kill').toEqual([]);

      const db = new BetterSqlite3(join(home.dir, 'valetkey.db'));
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      db.close();

      engine = await startEngine(home.dir);
      const rows = await allAuditRows(engine, { action: 'secret.read', outcome: 'allowed', reasonContains: `kill c${cycle} ` });
      const audited = new Map<string, Set<string>>();
      for (const row of rows) audited.set(row.reason ?? '', (audited.get(row.reason ?? '') ?? new Set()).add(row.entryId ?? ''));
      const missing = [...burst.received].filter(([reason, ids]) => ids.some((id) => !audited.get(reason)?.has(id)));
      expect(missing, 'secrets received without an audit row').toEqual([]);
      const verification = await engine.admin.verifyAudit({});
      expect(verification.ok, verification.problem).toBe(true);
      const committedNotReceived = [...audited.keys()].filter((reason) => !burst.received.has(reason)).length;
      console.log(
        `kill -9 cycle ${cycle + 1}: SIGKILL after ${burst.received.size} received (target ${killAfter}); ` +
          `${burst.lostInFlight} requests cut off in flight; ${committedNotReceived} audited but never answered; ` +
          `all ${burst.received.size} received have their rows; chain verified (${verification.rowsChecked} rows); integrity_check ok`,
      );
    }
    expect(await engine.daemon.stop()).toBe(0);
    engine = undefined;
  });
});

/** Runs the workers until `killAfter` secrets were received, SIGKILLs the engine mid-burst, and waits for every worker to stop. */
async function burstThenKill(engine: RunningEngine, agents: readonly TortureAgent[], secrets: Secrets, rng: Random, cycle: number, killAfter: number): Promise<Burst> {
  const burst: Burst = { received: new Map(), unexpected: [], lostInFlight: 0 };
  let killed = false;
  let lost = 0;
  const kill = (): void => {
    if (killed) return;
    killed = true;
    engine.daemon.child.kill('SIGKILL');
  };
  const worker = async (agent: TortureAgent, target: Target, w: number): Promise<void> => {
    const http = keepAliveAgent(1);
    for (let i = 0; ; i++) {
      const refs = pickRefs(secrets, rng);
      const reason = `kill c${cycle} ${agent.name} w${w} #${i}`;
      const answer = await send(http, target, agent.resolve(target, refs, reason));
      if (answer.status === 0) {
        if (!killed) burst.unexpected.push(`connection error before the kill: ${answer.error}`);
        lost += 1;
        break;
      }
      if (answer.status !== 200) {
        if (!killed) burst.unexpected.push(`${answer.status} ${answer.text.slice(0, 120)}`);
        continue;
      }
      const values = (json(answer)?.values ?? {}) as Record<string, unknown>;
      if (refs.some((ref) => values[ref] !== secrets.values.get(ref))) burst.unexpected.push('a 200 without the right values');
      burst.received.set(reason, refs.map((ref) => secrets.entryIds.get(ref) ?? ''));
      if (burst.received.size >= killAfter) kill();
    }
    http.destroy();
  };
  // Should the engine stop serving, the kill still comes (and the test fails on `unexpected`).
  const deadline = setTimeout(kill, 60_000);
  const workers = agents.flatMap((agent, a) =>
    Array.from({ length: WORKERS_PER_AGENT }, (_, w) => worker(agent, a % 2 === 0 ? engine.tcp : engine.socket, w)),
  );
  await Promise.all(workers);
  clearTimeout(deadline);
  await engine.daemon.stop('SIGKILL');
  return { ...burst, lostInFlight: lost };
}

/** One to three distinct refs, so some requests commit several rows in one group. */
function pickRefs(secrets: Secrets, rng: Random): string[] {
  const n = 1 + rng.int(3);
  return [...new Set(Array.from({ length: n }, () => rng.pick(secrets.refs)))];
}
