/**
 * The syslog sink against a real rsyslog over TCP (RFC 6587 octet counting). rsyslog is stopped
 * in the middle of a burst of agent requests and started again: every row arrives, in order
 * (counting each seq once, as a receiver dropping duplicates by seq would), and the duplicates
 * the reconnect caused are counted and printed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { startAuditSinks, type AuditSinkRunner } from '../../../src/core/audit-out/sink-runner.js';
import { openTestEngine, type TestEngine } from '../../helpers/engine-fixture.js';
import { agentRecord, tempDir, type TempDir } from './audit-out-fixture.js';
import { freePort, rsyslog, RSYSLOGD, type Rsyslog } from './rsyslog-process.js';

async function until(condition: () => boolean, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.skipIf(!existsSync(RSYSLOGD))('syslog sink → real rsyslog (TCP)', () => {
  let t: TestEngine;
  let dir: TempDir;
  let server: Rsyslog;
  let runner: AuditSinkRunner;

  beforeAll(async () => {
    dir = tempDir('vk-rsyslog-');
    server = rsyslog(dir.dir, await freePort());
    await server.start();
    t = await openTestEngine();
    runner = startAuditSinks(t.engine, {
      timing: { minBackoffMs: 100, maxBackoffMs: 800, idleMs: 200, confirmPollMs: 50 },
      transport: { confirmMs: 750 },
    });
  });
  afterAll(async () => {
    await runner.stop();
    await server.stop();
    await t.close();
    dir.cleanup();
  });

  it('loses no row when rsyslog stops mid-burst and comes back; duplicates are counted', async () => {
    await t.admin.addAuditSink({ grant: t.grant, sink: { name: 'rsyslog', config: { kind: 'syslog', transport: 'tcp', host: '127.0.0.1', port: server.port }, startAt: 'oldest' } });
    let appended = 0;
    const burst = async (rounds: number) => {
      for (let i = 0; i < rounds; i++) {
        // Agent requests arrive concurrently: each round is a group of rows committed together.
        await Promise.all(Array.from({ length: 10 }, () => t.engine.audit(agentRecord(++appended))));
        await pause(2);
      }
    };

    await burst(60);
    await until(() => server.seqs().length > 200, 10_000, 'rsyslog to receive the first rows');
    const stopping = server.stop(); // stopped while the burst goes on
    await burst(60);
    await stopping;
    const receivedBeforeStop = server.seqs().length;
    await burst(60); // rsyslog is away: these wait
    await server.start();
    await burst(60);

    const head = t.engine.ledger.head().seq;
    await until(() => server.seqs().includes(head), 30_000, `row ${head} at rsyslog`);
    const arrived = server.seqs();
    const seen = new Set<number>();
    const firstOccurrences: number[] = [];
    for (const s of arrived) {
      if (seen.has(s)) continue;
      seen.add(s);
      firstOccurrences.push(s);
    }
    const duplicates = arrived.length - firstOccurrences.length;
    const missing = head - seen.size;
    console.log(
      `rsyslog: ${head} rows, ${arrived.length} messages received (${receivedBeforeStop} before the stop), ${duplicates} duplicates resent after the reconnect, ${missing} missing`,
    );
    expect(missing).toBe(0);
    expect(firstOccurrences).toEqual(Array.from({ length: head }, (_, i) => i + 1));
    expect(appended).toBe(2400);

    await until(() => t.engine.auditSinks.find('rsyslog').cursorSeq === head, 10_000, 'the cursor to reach the head');
    const [info] = await t.admin.listAuditSinks({});
    expect(info?.health).toMatchObject({ lastDeliveredSeq: head, lag: 0 });
    expect(info?.health.lastError).toMatch(/closed the connection|refused the connection|failed/);
  });

  it('sends a test message rsyslog accepts', async () => {
    const r = await t.admin.testAuditSink({ sinkId: 'rsyslog' });
    expect(r.ok).toBe(true);
  });
});
