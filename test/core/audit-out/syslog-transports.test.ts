/**
 * The syslog sink over TLS (RFC 5425, octet-counted frames, the receiver's certificate checked
 * against the configured CA) and over UDP (RFC 5426), with local receivers that parse every
 * RFC 5424 message.
 */
import { execFileSync } from 'node:child_process';
import dgram from 'node:dgram';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAuditSinks, type AuditSinkRunner } from '../../../src/core/audit-out/sink-runner.js';
import { openTestEngine, type TestEngine } from '../../helpers/engine-fixture.js';
import { agentRecord, tempDir, type TempDir } from './audit-out-fixture.js';

const RFC5424 = /^<(\d{1,3})>1 (\S+) (\S+) valetkey (\d+) (\S+) \[valetkey@32473 seq="(\d+)" outcome="(\w+)" actor="(\w+)"\] (\{.*\})$/s;

interface Parsed {
  readonly pri: number;
  readonly seq: number;
  readonly msgid: string;
  readonly row: { seq: number; hash: string; outcome: string };
}

function parse(message: string): Parsed {
  const m = RFC5424.exec(message);
  if (!m) throw new Error(`not RFC 5424: ${message.slice(0, 80)}`);
  return { pri: Number(m[1]), msgid: m[5] ?? '', seq: Number(m[6]), row: JSON.parse(m[9] ?? '') as Parsed['row'] };
}

/** RFC 6587 octet counting: "LEN SP MSG", repeated. */
function frameReader(onMessage: (m: string) => void): (chunk: Buffer) => void {
  let buffered = Buffer.alloc(0);
  return (chunk) => {
    buffered = Buffer.concat([buffered, chunk]);
    for (;;) {
      const space = buffered.indexOf(0x20);
      if (space < 0) return;
      const len = Number(buffered.subarray(0, space).toString('ascii'));
      if (!Number.isInteger(len) || len <= 0) throw new Error('bad frame');
      if (buffered.length < space + 1 + len) return;
      onMessage(buffered.subarray(space + 1, space + 1 + len).toString('utf8'));
      buffered = buffered.subarray(space + 1 + len);
    }
  };
}

async function until(condition: () => boolean, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 25));
  }
}

let t: TestEngine;
let dir: TempDir;
let runner: AuditSinkRunner;

beforeAll(async () => {
  dir = tempDir('vk-tls-');
  t = await openTestEngine();
  runner = startAuditSinks(t.engine, { timing: { minBackoffMs: 50, maxBackoffMs: 300, idleMs: 200, confirmPollMs: 50 }, transport: { confirmMs: 200 } });
});
afterAll(async () => {
  await runner.stop();
  await t.close();
  dir.cleanup();
});

describe('syslog over TLS', () => {
  it('sends octet-counted RFC 5424 frames to a receiver whose certificate the configured CA signed; an unknown certificate is refused', async () => {
    const key = join(dir.dir, 'key.pem');
    const cert = join(dir.dir, 'cert.pem');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-keyout', key, '-out', cert, '-days', '1', '-nodes', '-subj', '/CN=localhost', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost'], { stdio: 'ignore' });
    const messages: Parsed[] = [];
    const server = tls.createServer({ key: readFileSync(key), cert: readFileSync(cert) }, (socket) => {
      socket.on('data', frameReader((m) => messages.push(parse(m))));
      socket.on('error', () => undefined);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    try {
      await t.admin.addAuditSink({ grant: t.grant, sink: { name: 'tls', config: { kind: 'syslog', transport: 'tls', host: '127.0.0.1', port, caPem: readFileSync(cert, 'utf8') }, startAt: 'oldest' } });
      await t.admin.addAuditSink({ grant: t.grant, sink: { name: 'tls-untrusted', config: { kind: 'syslog', transport: 'tls', host: '127.0.0.1', port } } });
      await t.engine.ledger.appendMany(Array.from({ length: 40 }, (_, i) => agentRecord(i + 1)));
      const head = t.engine.ledger.head().seq;
      await until(() => messages.some((m) => m.seq === head));
      const seqs = [...new Set(messages.map((m) => m.seq))];
      expect(seqs).toEqual(Array.from({ length: head }, (_, i) => i + 1));
      for (const m of messages) expect(m.row.seq).toBe(m.seq);
      const refused = messages.find((m) => m.row.outcome === 'refused');
      expect(refused?.pri).toBe(13 * 8 + 4);
      expect(messages.find((m) => m.row.outcome === 'allowed')?.pri).toBe(13 * 8 + 6);
      expect(messages.find((m) => m.seq === 2)?.msgid).toBe(t.engine.ledger.get(2)?.action.slice(0, 32));

      await until(() => t.engine.auditSinks.find('tls-untrusted').lastError !== null);
      expect(t.engine.auditSinks.find('tls-untrusted').lastError).toMatch(/TLS certificate was not accepted/);
      expect(messages.length).toBeGreaterThanOrEqual(head);
    } finally {
      await t.admin.removeAuditSink({ grant: t.grant, sinkId: 'tls' });
      await t.admin.removeAuditSink({ grant: t.grant, sinkId: 'tls-untrusted' });
      await runner.sync();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});

describe('syslog over UDP', () => {
  it('sends one RFC 5424 message per datagram', async () => {
    const socket = dgram.createSocket('udp4');
    const messages: Parsed[] = [];
    const tests: string[] = [];
    socket.on('message', (b) => {
      const text = b.toString('utf8');
      if (text.includes('[valetkey@32473 test="1"]')) tests.push(text);
      else messages.push(parse(text));
    });
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
    try {
      const sink = await t.admin.addAuditSink({ grant: t.grant, sink: { name: 'udp', config: { kind: 'syslog', transport: 'udp', host: '127.0.0.1', port: socket.address().port, facility: 4 } } });
      const from = sink.health.lastDeliveredSeq + 1;
      await t.engine.ledger.appendMany(Array.from({ length: 25 }, (_, i) => agentRecord(i + 1)));
      const head = t.engine.ledger.head().seq;
      await until(() => messages.some((m) => m.seq === head));
      expect(messages.map((m) => m.seq)).toEqual(Array.from({ length: head - from + 1 }, (_, i) => from + i));
      expect(Math.floor((messages[0]?.pri ?? 0) / 8)).toBe(4);
      expect((await t.admin.testAuditSink({ sinkId: 'udp' })).ok).toBe(true);
      await until(() => tests.length === 1);
      expect(tests[0]).toMatch(/^<38>1 \S+ \S+ valetkey \d+ valetkey\.test \[valetkey@32473 test="1"\] \{"type":"valetkey.test"\}$/);
    } finally {
      socket.close();
    }
  });
});
