/**
 * Revocation under load. Agents hammer /v1/resolve while a person revokes a token through the
 * admin API. The rule, precisely: a request whose bytes were handed to the socket after the
 * revoke call had resolved (client-side hrtime, taken just before the write) must not get a 200.
 * Requests written before that may still succeed (they can have passed authentication first).
 * Each round revokes a token that has an exchanged child (the cascade must hold the same rule)
 * while a control agent keeps working; the last round revokes everything.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { json, keepAliveAgent, send, type Target } from './keep-alive-client.js';
import { enrollAgent, exchangeAgent, freshHome, seedSecrets, startEngine, type RunningEngine, type Secrets } from './torture-engine.js';
import type { TortureAgent } from './torture-agent.js';

const ROUNDS = 5;

interface Shot {
  readonly group: 'revoked' | 'control';
  readonly sentAt: bigint;
  readonly answeredAt: bigint;
  readonly status: number;
  readonly error: string;
}

interface Worker {
  readonly agent: TortureAgent;
  readonly target: Target;
  readonly group: Shot['group'];
}

describe('revocation under load', () => {
  const home = freshHome('vk-tr-');
  let engine: RunningEngine | undefined;
  afterAll(async () => {
    await engine?.daemon.stop('SIGKILL');
    home.cleanup();
  });

  it('no request written after the revoke call returned succeeds', async () => {
    engine = await startEngine(home.dir);
    const secrets = await seedSecrets(engine, 'rev-vault', 3, 'rev');
    for (let round = 0; round < ROUNDS; round++) {
      const last = round === ROUNDS - 1;
      const parent = await enrollAgent(engine, `rev-${round}-parent`, ['rev-vault']);
      const child = await exchangeAgent(parent, engine.tcp, `rev-${round}-child`);
      const control = await enrollAgent(engine, `rev-${round}-control`, ['rev-vault'], engine.socket);
      const workers: Worker[] = [
        ...spread(parent, engine, 8, 'revoked'),
        ...spread(child, engine, 8, 'revoked'),
        ...spread(control, engine, 8, last ? 'revoked' : 'control'),
      ];
      const e = engine;
      const { shots, revokeCalledAt, revokedAt, revoked } = await hammerAndRevoke(workers, secrets, () =>
        last ? e.admin.revokeAllTokens({}).then((r) => r.revoked) : e.admin.revokeToken({ tokenId: parent.tokenId }).then((r) => r.revoked),
      );
      expect(revoked).toBeGreaterThanOrEqual(last ? 3 : 2); // the parent and its exchanged child (all live tokens in the last round)
      const after = shots.filter((s) => s.group === 'revoked' && s.sentAt > revokedAt);
      const violations = after.filter((s) => s.status === 200);
      expect(violations.length, 'requests written after the revoke returned that still got a 200').toBe(0);
      expect(after.length).toBeGreaterThan(0);
      expect(after.filter((s) => s.status !== 401 || s.error !== 'invalid_token').map((s) => `${s.status} ${s.error}`)).toEqual([]);
      const before = shots.filter((s) => s.answeredAt < revokeCalledAt);
      expect(before.filter((s) => s.status !== 200).map((s) => `${s.status} ${s.error}`), 'answers other than 200 before the revoke').toEqual([]);
      const controls = shots.filter((s) => s.group === 'control');
      expect(controls.filter((s) => s.status !== 200).map((s) => `${s.status} ${s.error}`)).toEqual([]);
      if (!last) expect(controls.filter((s) => s.sentAt > revokedAt).length, 'the control agent kept working').toBeGreaterThan(0);
      const late = shots.filter((s) => s.group === 'revoked' && s.status === 200 && s.sentAt <= revokedAt && s.answeredAt > revokedAt).length;
      console.log(
        `revocation round ${round + 1}${last ? ' (revoke all)' : ''}: ${shots.length} requests by ${workers.length} workers; ` +
          `${after.length} written after the revoke returned, 0 succeeded (all 401 invalid_token); ` +
          `${late} written before it and answered 200 after it (allowed); control 200s after the revoke: ${controls.filter((s) => s.sentAt > revokedAt).length}`,
      );
    }
    expect(engine.alive()).toBe(true);
    expect(await engine.daemon.stop()).toBe(0);
    engine = undefined;
  });
});

/** `n` workers for one agent, alternating TCP and the Unix socket. */
function spread(agent: TortureAgent, engine: RunningEngine, n: number, group: Shot['group']): Worker[] {
  return Array.from({ length: n }, (_, i) => ({ agent, target: i % 2 === 0 ? engine.tcp : engine.socket, group }));
}

/**
 * Runs every worker; once 300 requests succeeded, calls `revoke` and notes (hrtime) when it was
 * called and when it resolved; keeps hammering 750 ms more, then stops and returns every shot.
 */
async function hammerAndRevoke(
  workers: readonly Worker[],
  secrets: Secrets,
  revoke: () => Promise<number>,
): Promise<{ shots: Shot[]; revokeCalledAt: bigint; revokedAt: bigint; revoked: number }> {
  const shots: Shot[] = [];
  let stop = false;
  const run = async (w: Worker, index: number): Promise<void> => {
    const http = keepAliveAgent(1);
    for (let i = 0; !stop; i++) {
      const ref = secrets.refs[(index + i) % secrets.refs.length] ?? '';
      const answer = await send(http, w.target, w.agent.resolve(w.target, [ref], `revocation torture ${w.agent.name} ${index}/${i}`));
      const answeredAt = process.hrtime.bigint();
      const body = json(answer);
      const error = answer.status === 0 ? `connection: ${answer.error}` : String(body?.error ?? '');
      if (answer.status === 200 && (body?.values as Record<string, unknown> | undefined)?.[ref] !== secrets.values.get(ref)) throw new Error('a 200 without the secret asked for');
      shots.push({ group: w.group, sentAt: answer.sentAt, answeredAt, status: answer.status, error });
    }
    http.destroy();
  };
  const running = Promise.all(workers.map(run));
  const deadline = Date.now() + 60_000;
  while (shots.filter((s) => s.status === 200).length < 300) {
    if (Date.now() > deadline) {
      stop = true;
      await running;
      throw new Error(`fewer than 300 reads succeeded in 60 s; last answers: ${shots.slice(-5).map((x) => `${x.status} ${x.error}`).join(', ')}`);
    }
    await sleep(5);
  }
  const revokeCalledAt = process.hrtime.bigint();
  const revoked = await revoke();
  const revokedAt = process.hrtime.bigint();
  await sleep(750);
  stop = true;
  await running;
  return { shots, revokeCalledAt, revokedAt, revoked };
}
