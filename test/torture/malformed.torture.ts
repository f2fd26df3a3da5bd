/**
 * At least 100,000 malformed requests (headers, JWTs, proofs, JSON, sizes, encodings), generated
 * systematically and then at random from a seeded PRNG (TORTURE_SEED replays a run; each case's
 * randomness derives from the seed and its index), over TCP and the Unix socket, 32 at a time on
 * keep-alive connections, one in 20 as raw bytes on a fresh connection. Passes when the engine
 * stays up and keeps serving (health checks every 10,000), every answer has an allowed status
 * (no 5xx, no 200), no answer carries a secret value or a token, and it logged no internal error.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { call } from '../../bench/lib/agent.js';
import { json, keepAliveAgent, send, type Answer } from './keep-alive-client.js';
import { buildCase, randomSpec, systematicSpecs, type HttpCase } from './malformed-cases.js';
import { baseDraft, finalize, type FuzzContext } from './malformed-draft.js';
import { rawCase, sendRaw } from './malformed-raw.js';
import { seededRandom, tortureSeed } from './seeded-random.js';
import { enrollAgent, freshHome, seedSecrets, startEngine, type RunningEngine } from './torture-engine.js';

const TOTAL = Math.max(100_000, Number(process.env.TORTURE_MALFORMED ?? 0));
const CONCURRENCY = 32;
const RAW_EVERY = 20;
const HEALTH_EVERY = 10_000;
/** Every status a malformed request may get. 100 only as the interim answer to Expect: 100-continue. */
const ALLOWED = [400, 401, 403, 404, 405, 413, 415, 429, 431];

interface Tally {
  http: number;
  raw: number;
  resets: number;
  failureCount: number;
  readonly failures: string[];
  readonly statuses: Map<number, number>;
}

describe('malformed requests', () => {
  const home = freshHome('vk-tm-');
  let engine: RunningEngine | undefined;
  afterAll(async () => {
    await engine?.daemon.stop('SIGKILL');
    home.cleanup();
  });

  it(`${TOTAL.toLocaleString('en')} malformed requests: no crash, no unexpected status, no secret`, async () => {
    engine = await startEngine(home.dir);
    const { ctx, leaks } = await fuzzContext(engine);
    // The control: undamaged, these requests succeed, so every refusal below is a defect's doing.
    for (const route of ['resolve', 'vaults', 'entries'] as const) {
      for (const target of [engine.tcp, engine.socket]) {
        expect((await send(false, target, finalize(baseDraft(route, ctx, seededRandom(1)), target))).status, `${route} undamaged`).toBe(200);
      }
    }
    const seed = tortureSeed();
    const tally: Tally = { http: 0, raw: 0, resets: 0, failureCount: 0, failures: [], statuses: new Map() };
    const started = Date.now();
    const systematic = await runCases(engine, ctx, leaks, seed, tally);
    const seconds = (Date.now() - started) / 1000;

    await health(engine, ctx);
    const histogram = [...tally.statuses].sort((a, b) => a[0] - b[0]).map(([s, n]) => `${s}×${n}`).join(' ');
    console.log(
      `malformed: ${(tally.http + tally.raw).toLocaleString('en')} requests (${tally.http.toLocaleString('en')} HTTP incl. ${systematic} systematic, ` +
        `${tally.raw.toLocaleString('en')} raw) in ${seconds.toFixed(1)} s (${Math.round((tally.http + tally.raw) / seconds)}/s), seed ${seed}; ` +
        `statuses ${histogram}; ${tally.resets} resets on oversized input; engine RSS ${engine.rssMb().toFixed(0)} MB; ${tally.failureCount} failures`,
    );
    expect(tally.failures).toEqual([]);
    expect(tally.http + tally.raw).toBeGreaterThanOrEqual(100_000);
    expect(engine.alive()).toBe(true);
    expect(engine.daemon.output()).not.toContain('internal error');
    const verification = await engine.admin.verifyAudit({});
    expect(verification.ok, verification.problem).toBe(true);
    expect(await engine.daemon.stop()).toBe(0);
    engine = undefined;
  });
});

/** Sends all TOTAL cases, CONCURRENCY at a time, health-checking every HEALTH_EVERY; returns how many were systematic. */
async function runCases(e: RunningEngine, ctx: FuzzContext, leaks: readonly string[], seed: number, tally: Tally): Promise<number> {
  const fail = (message: string): void => {
    tally.failureCount += 1;
    if (tally.failures.length < 40) tally.failures.push(message);
  };
  const systematic = systematicSpecs();
  const targets = { tcp: e.tcp, socket: e.socket };
  let next = 0;
  let httpNext = 0;
  let rawNext = 0;
  const worker = async (): Promise<void> => {
    const agents = { tcp: keepAliveAgent(1), socket: keepAliveAgent(1) };
    for (let i = next++; i < TOTAL; i = next++) {
      if (i > 0 && i % HEALTH_EVERY === 0) await health(e, ctx).catch((err: unknown) => fail(`health check at ${i}: ${String(err)}`));
      // Each case's randomness comes from the seed and its index alone: any case can be replayed.
      const rng = seededRandom((seed ^ Math.imul(i + 1, 0x9e3779b1)) >>> 0);
      const target = i % 2 === 0 ? e.tcp : e.socket;
      if (i % RAW_EVERY === RAW_EVERY - 1) {
        const rc = rawCase(rawNext++, target, rng);
        tally.raw += 1;
        judgeRaw(`#${i} raw "${rc.name}" over ${target.via}`, rc.answerRequired, await sendRaw(target, rc.bytes), leaks, tally, fail);
        continue;
      }
      const h = httpNext++;
      const c = buildCase(systematic[h] ?? randomSpec(rng, i), ctx, targets, rng);
      let answer = await send(agents[c.target.via], c.target, c.out);
      if (answer.status === 0 && answer.reused) answer = await send(agents[c.target.via], c.target, c.out); // a kept-alive connection the server had closed
      tally.http += 1;
      judgeHttp(`#${i} ${c.label}`, c, answer, leaks, tally, fail);
    }
    agents.tcp.destroy();
    agents.socket.destroy();
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return systematic.length;
}

function count(tally: Tally, status: number): void {
  tally.statuses.set(status, (tally.statuses.get(status) ?? 0) + 1);
}

function judgeHttp(label: string, c: HttpCase, a: Answer, leaks: readonly string[], tally: Tally, fail: (m: string) => void): void {
  count(tally, a.status);
  if (a.status === 0) {
    if (c.mayReset) tally.resets += 1;
    else fail(`${label}: no answer (${a.error})`);
    return;
  }
  if (!ALLOWED.includes(a.status)) fail(`${label}: status ${a.status} ${a.text.slice(0, 160)}`);
  const seen = `${a.text}\n${JSON.stringify(a.headers)}`;
  if (leaks.some((s) => seen.includes(s))) fail(`${label}: a secret or token in the answer`);
}

function judgeRaw(label: string, required: boolean, a: Awaited<ReturnType<typeof sendRaw>>, leaks: readonly string[], tally: Tally, fail: (m: string) => void): void {
  for (const s of a.statuses) count(tally, s);
  if (a.timedOut) fail(`${label}: no end within 10 s`);
  if (required && a.statuses.length === 0) fail(`${label}: closed without an answer`);
  for (const s of a.statuses) if (s !== 100 && !ALLOWED.includes(s)) fail(`${label}: status ${s}`);
  if (leaks.some((s) => a.text.includes(s))) fail(`${label}: a secret or token in the answer`);
}

/**
 * The engine's real agents and tokens for the generators (a valid one, a foreign one, a revoked
 * one, a bearer one), and every string no answer may contain: all stored secret values and tokens.
 */
async function fuzzContext(engine: RunningEngine): Promise<{ ctx: FuzzContext; leaks: string[] }> {
  const secrets = await seedSecrets(engine, 'fuzz-vault', 4, 'fuzz');
  const foreign = await seedSecrets(engine, 'fuzz-foreign', 1, 'foreign');
  const agent = await enrollAgent(engine, 'fuzz-agent', ['fuzz-vault']);
  const other = await enrollAgent(engine, 'fuzz-other', ['fuzz-foreign']);
  const revoked = await enrollAgent(engine, 'fuzz-revoked', ['fuzz-vault']);
  await engine.admin.revokeToken({ tokenId: revoked.tokenId });
  const created = await engine.admin.createToken({ grant: engine.grant, token: { name: 'fuzz-bearer', vaults: ['fuzz-vault'], actions: ['read'], lifespanSeconds: 3600, binding: 'bearer' } });
  const form = new URLSearchParams({ grant_type: 'urn:valetkey:params:oauth:grant-type:enrollment', enrollment_code: created.enrollmentCode, client_id: 'fuzz-bearer' }).toString();
  const redeemed = await call(engine.tcp, 'POST', '/v1/token', { 'content-type': 'application/x-www-form-urlencoded' }, form);
  if (redeemed.status !== 200) throw new Error(`bearer enrollment failed: ${JSON.stringify(redeemed.body)}`);
  const ctx: FuzzContext = { secrets, agent, other, revoked, bearerToken: String(redeemed.body.access_token), foreignVault: 'fuzz-foreign', spent: new Map() };
  await health(engine, ctx);
  return { ctx, leaks: [...secrets.everything, ...foreign.everything, agent.token, other.token, revoked.token, ctx.bearerToken] };
}

/** The engine is up and serves a correct agent on both listeners; the proofs used become replay material. */
async function health(engine: RunningEngine, ctx: FuzzContext): Promise<void> {
  if (!engine.alive()) throw new Error('the engine process is gone');
  for (const target of [engine.tcp, engine.socket] as const) {
    const ref = ctx.secrets.refs[0] ?? '';
    const out = ctx.agent.resolve(target, [ref], 'fuzz: health check');
    const answer = await send(false, target, out);
    const values = json(answer)?.values as Record<string, unknown> | undefined;
    if (answer.status !== 200 || values?.[ref] !== ctx.secrets.values.get(ref)) throw new Error(`health check over ${target.via}: ${answer.status} ${answer.text.slice(0, 120)}`);
    const proof = out.headers[out.headers.indexOf('DPoP') + 1] ?? '';
    ctx.spent.set(target.via, [...(ctx.spent.get(target.via) ?? []).slice(-20), proof]);
  }
  const metadata = await send(false, engine.tcp, { method: 'GET', path: '/.well-known/oauth-authorization-server', headers: [] });
  if (metadata.status !== 200) throw new Error(`metadata: ${metadata.status}`);
}
