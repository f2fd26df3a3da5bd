/**
 * Splunk HEC and webhook sinks against real local receivers (node:http) that check the documented
 * request shape, the HEC token and every webhook signature. Each receiver fails its first requests
 * so the sink must retry with backoff; in the end every row has arrived, in order.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startAuditSinks, type AuditSinkRunner } from '../../../src/core/audit-out/sink-runner.js';
import { openTestEngine, type TestEngine } from '../../helpers/engine-fixture.js';
import { agentRecord } from './audit-out-fixture.js';

const HEC_TOKEN = 'b1f0c7a2-4d5e-4f60-9a8b-hec-token-7731';
const WEBHOOK_KEY = 'whk_3c9e5a1f7b2d4e6a8c0f1e3d5b7a9c2e';

interface Receiver {
  readonly url: string;
  readonly seqs: number[];
  readonly batches: number[];
  readonly problems: string[];
  requests: number;
  close(): Promise<void>;
}

async function receiver(handle: (req: http.IncomingMessage, body: string, r: Receiver) => number): Promise<Receiver> {
  const r: Receiver = { url: '', seqs: [], batches: [], problems: [], requests: 0, close: async () => undefined };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      r.requests += 1;
      const status = handle(req, Buffer.concat(chunks).toString('utf8'), r);
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(status === 200 ? '{"text":"Success","code":0}' : '{"text":"nope","code":9}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return Object.assign(r, {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  });
}

async function until(condition: () => boolean, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Seqs as received, with duplicates dropped the way a receiver would (by seq). */
function firstSeen(seqs: readonly number[]): { unique: number[]; duplicates: number } {
  const seen = new Set<number>();
  const unique: number[] = [];
  for (const s of seqs) {
    if (seen.has(s)) continue;
    seen.add(s);
    unique.push(s);
  }
  return { unique, duplicates: seqs.length - unique.length };
}

let t: TestEngine;
let runner: AuditSinkRunner;

beforeEach(async () => {
  t = await openTestEngine();
  runner = startAuditSinks(t.engine, { timing: { minBackoffMs: 50, maxBackoffMs: 400, idleMs: 200, confirmPollMs: 50 } });
});
afterEach(async () => {
  await runner.stop();
  await t.close();
});

describe('Splunk HEC sink', () => {
  it('sends batches with the token to /services/collector/event, retries while the receiver fails, and loses nothing', async () => {
    const hec = await receiver((req, body, r) => {
      if (req.method !== 'POST' || req.url !== '/services/collector/event') r.problems.push(`path ${req.method} ${req.url}`);
      if (req.headers['content-type'] !== 'application/json') r.problems.push('content-type');
      if (req.headers.authorization !== `Splunk ${HEC_TOKEN}`) return 403;
      if (r.requests <= 2) return 503;
      const events = body.split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
      for (const e of events) {
        const ev = e['event'] as { seq: number; hash: string };
        if (typeof e['time'] !== 'number' || e['source'] !== 'valetkey' || e['sourcetype'] !== 'valetkey:audit' || typeof e['host'] !== 'string') r.problems.push('envelope');
        if (!/^[0-9a-f]{64}$/.test(ev.hash) || (e['fields'] as { seq: string }).seq !== String(ev.seq)) r.problems.push('event');
        r.seqs.push(ev.seq);
      }
      r.batches.push(events.length);
      return 200;
    });
    try {
      const sink = await t.admin.addAuditSink({ grant: t.grant, sink: { name: 'splunk', config: { kind: 'splunk_hec', url: hec.url, batchSize: 50 }, credential: HEC_TOKEN, startAt: 'oldest' } });
      expect(sink).toMatchObject({ kind: 'splunk_hec', hasCredential: true });
      expect(JSON.stringify(sink)).not.toContain(HEC_TOKEN);
      await t.engine.ledger.appendMany(Array.from({ length: 230 }, (_, i) => agentRecord(i + 1)));
      const head = t.engine.ledger.head().seq;
      await until(() => hec.seqs.includes(head));
      const { unique, duplicates } = firstSeen(hec.seqs);
      console.log(`HEC: ${hec.seqs.length} events in ${hec.batches.length} batches, ${duplicates} duplicates, after ${hec.requests - hec.batches.length} refused requests`);
      expect(hec.problems).toEqual([]);
      expect(unique).toEqual(Array.from({ length: head }, (_, i) => i + 1));
      expect(Math.max(...hec.batches)).toBe(50);
      await until(() => t.engine.auditSinks.find('splunk').cursorSeq >= head);
      const [info] = await t.admin.listAuditSinks({});
      expect(info?.health).toMatchObject({ lastDeliveredSeq: head, state: 'ok', lastError: 'the HEC receiver answered HTTP 503' });
      expect(info?.health.lag).toBeLessThanOrEqual(t.engine.ledger.head().seq - head);
    } finally {
      await hec.close();
    }
  });

  it('a wrong token is refused by the receiver: the sink keeps retrying, says why, and never shows the token', async () => {
    const hec = await receiver((req) => (req.headers.authorization === `Splunk ${HEC_TOKEN}` ? 200 : 403));
    try {
      const wrong = 'wrong-token-0000-1111-2222-3333';
      await t.admin.addAuditSink({ grant: t.grant, sink: { name: 'bad', config: { kind: 'splunk_hec', url: hec.url }, credential: wrong } });
      await t.engine.audit(agentRecord(1));
      await until(() => hec.requests >= 2);
      const [info] = await t.admin.listAuditSinks({});
      expect(info?.health).toMatchObject({ state: 'retrying', lastError: 'the HEC receiver answered HTTP 403', lastDeliveredSeq: info?.health.lastDeliveredSeq });
      expect(info?.health.lag).toBeGreaterThan(0);
      expect(JSON.stringify(await t.admin.listAuditSinks({}))).not.toContain(wrong);
    } finally {
      await hec.close();
    }
  });
});

describe('webhook sink', () => {
  it('signs every batch with HMAC-SHA256; the receiver verifies each one; retries resend the same seqs', async () => {
    const hook = await receiver((req, body, r) => {
      const ts = String(req.headers['x-valetkey-timestamp']);
      const expected = Buffer.from(`sha256=${createHmac('sha256', WEBHOOK_KEY).update(`${ts}.${body}`).digest('hex')}`);
      const given = Buffer.from(String(req.headers['x-valetkey-signature']));
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
        r.problems.push('bad signature');
        return 401;
      }
      if (Math.abs(Date.now() / 1000 - Number(ts)) > 300) r.problems.push('stale timestamp');
      const payload = JSON.parse(body) as { type: string; fromSeq: number; toSeq: number; rows: { seq: number }[] };
      if (payload.type !== 'valetkey.audit' || req.headers['x-valetkey-seq'] !== `${payload.fromSeq}-${payload.toSeq}`) r.problems.push('shape');
      if (r.requests % 3 === 1) return 500; // every third request fails: the same batch must come again
      r.seqs.push(...payload.rows.map((x) => x.seq));
      r.batches.push(payload.rows.length);
      return 204;
    });
    try {
      await t.admin.addAuditSink({ grant: t.grant, sink: { name: 'hook', config: { kind: 'webhook', url: `${hook.url}/valetkey?team=sec`, batchSize: 40 }, credential: WEBHOOK_KEY, startAt: 'oldest' } });
      for (let i = 0; i < 5; i++) await t.engine.ledger.appendMany(Array.from({ length: 37 }, (_, j) => agentRecord(i * 100 + j)));
      const head = t.engine.ledger.head().seq;
      await until(() => hook.seqs.includes(head));
      const { unique, duplicates } = firstSeen(hook.seqs);
      console.log(`webhook: ${hook.requests} requests, ${hook.batches.length} accepted, ${duplicates} duplicates, every signature verified`);
      expect(hook.problems).toEqual([]);
      expect(unique).toEqual(Array.from({ length: head }, (_, i) => i + 1));
      expect(hook.requests).toBeGreaterThan(hook.batches.length);
    } finally {
      await hook.close();
    }
  });

  it('a receiver with another key rejects every request; nothing counts as delivered', async () => {
    const hook = await receiver((req, body) => {
      const ts = String(req.headers['x-valetkey-timestamp']);
      const expected = `sha256=${createHmac('sha256', 'someone-elses-key-123456').update(`${ts}.${body}`).digest('hex')}`;
      return req.headers['x-valetkey-signature'] === expected ? 200 : 401;
    });
    try {
      const before = t.engine.ledger.head().seq;
      await t.admin.addAuditSink({ grant: t.grant, sink: { name: 'hook2', config: { kind: 'webhook', url: hook.url }, credential: WEBHOOK_KEY } });
      await t.engine.audit(agentRecord(1));
      await until(() => hook.requests >= 2);
      const sink = t.engine.auditSinks.find('hook2');
      expect(sink.cursorSeq).toBeLessThanOrEqual(before + 1);
      expect(sink.lastError).toBe('the webhook receiver answered HTTP 401');
      const test = await t.admin.testAuditSink({ sinkId: 'hook2' });
      expect(test).toMatchObject({ ok: false, error: 'the webhook receiver answered HTTP 401' });
    } finally {
      await hook.close();
    }
  });
});
