/**
 * Sinks through the admin API, as an agent with the session secret but without the passphrase
 * would try them: changing where the audit stream goes is a grant; credentials are sealed (not in
 * the database file, not in any answer, not in the audit log) and bound to their sink; sinks with
 * a credential pause while locked and catch up after unlock.
 */
import { readFileSync, readdirSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startAuditSinks, type AuditSinkRunner } from '../../../src/core/audit-out/sink-runner.js';
import { TEST_PASSPHRASE, openTestEngine, type TestEngine } from '../../helpers/engine-fixture.js';
import { agentRecord, until } from './audit-out-fixture.js';

const KEY = 'hmac-key-Zq8!unique-7731-webhook';

let t: TestEngine;
let runner: AuditSinkRunner;
let server: http.Server;
let url: string;
let received: number[];

beforeEach(async () => {
  t = await openTestEngine();
  runner = startAuditSinks(t.engine, { timing: { minBackoffMs: 50, maxBackoffMs: 200, idleMs: 100, confirmPollMs: 50 } });
  received = [];
  server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const payload = JSON.parse(body) as { rows: { seq: number }[] };
      received.push(...payload.rows.map((r) => r.seq));
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
});
afterEach(async () => {
  await runner.stop();
  await t.close();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});


const webhook = () => ({ name: 'hook', config: { kind: 'webhook' as const, url }, credential: KEY });

describe('audit sinks through the admin API (attacks)', () => {
  it('adding, changing and removing a sink need the passphrase; refusals are audited', async () => {
    await expect(t.admin.addAuditSink({ sink: webhook() })).rejects.toMatchObject({ code: 'grant_required' });
    await expect(t.admin.addAuditSink({ grant: { passphrase: 'not the passphrase' }, sink: webhook() })).rejects.toMatchObject({ code: 'passphrase_invalid' });
    expect(await t.admin.listAuditSinks({})).toEqual([]);
    await t.admin.addAuditSink({ grant: t.grant, sink: webhook() });
    await expect(t.admin.updateAuditSink({ sinkId: 'hook', changes: { enabled: false } })).rejects.toMatchObject({ code: 'grant_required' });
    await expect(t.admin.removeAuditSink({ sinkId: 'hook' })).rejects.toMatchObject({ code: 'grant_required' });
    await expect(t.admin.setAuditRetention({ keepDays: 1, keepRows: null })).rejects.toMatchObject({ code: 'grant_required' });
    await expect(t.admin.runAuditRetention({})).rejects.toMatchObject({ code: 'grant_required' });
    const refused = t.engine.ledger.query({ action: 'admin.grant_refused' }).rows.map((r) => r.detail?.['method']);
    expect(refused).toEqual(expect.arrayContaining(['addAuditSink', 'updateAuditSink', 'removeAuditSink', 'setAuditRetention', 'runAuditRetention']));
  });

  it('the credential is sealed: not in the database files, not in answers, not in the audit log', async () => {
    const sink = await t.admin.addAuditSink({ grant: t.grant, sink: webhook() });
    await t.admin.updateAuditSink({ grant: t.grant, sinkId: sink.id, changes: { credential: `${KEY}-rotated` } });
    await t.engine.ledger.flush();
    t.engine.db.pragma('wal_checkpoint(PASSIVE)');
    for (const file of readdirSync(t.dir).filter((f) => f.startsWith('valetkey.db'))) {
      const bytes = readFileSync(join(t.dir, file));
      expect(bytes.includes(Buffer.from(KEY)), file).toBe(false);
    }
    expect(JSON.stringify(await t.admin.listAuditSinks({}))).not.toContain(KEY);
    const rows = t.engine.ledger.query({ limit: 500 }).rows;
    expect(JSON.stringify(rows)).not.toContain(KEY);
    expect(JSON.stringify(rows)).not.toContain(url);
    expect(rows.find((r) => r.action === 'audit_sink.update')?.detail).toMatchObject({ changed: ['credential'] });
  });

  it('a sealed credential copied onto another sink does not open there', async () => {
    const a = await t.admin.addAuditSink({ grant: t.grant, sink: webhook() });
    const b = await t.admin.addAuditSink({ grant: t.grant, sink: { ...webhook(), name: 'other', credential: 'another-key-of-sixteen+' } });
    t.engine.db.prepare('UPDATE audit_sinks SET sealed_credential = (SELECT sealed_credential FROM audit_sinks WHERE id = ?) WHERE id = ?').run(a.id, b.id);
    // The row's MAC (docs/security.md §9) catches it before the credential is even opened.
    await expect(t.admin.testAuditSink({ sinkId: b.id })).rejects.toMatchObject({ code: 'tamper_detected' });
    expect((await t.admin.testAuditSink({ sinkId: a.id })).ok).toBe(true);
  });

  it('refuses bad configurations with a named field, never echoing the value', async () => {
    const bad = async (sink: unknown) => {
      const e = await t.admin.addAuditSink({ grant: t.grant, sink: sink as never }).then(() => undefined, (x: unknown) => x);
      expect(e).toMatchObject({ code: 'invalid_request' });
      return String((e as Error).message);
    };
    expect(await bad({ name: 'u', config: { kind: 'webhook', url: 'https://user:pw-Zq8@hooks.example/x' }, credential: KEY })).not.toContain('pw-Zq8');
    await bad({ name: 'f', config: { kind: 'webhook', url: 'ftp://hooks.example/x' }, credential: KEY });
    await bad({ name: 'n', config: { kind: 'splunk_hec', url: 'https://splunk.example:8088' } });
    await bad({ name: 's', config: { kind: 'syslog', transport: 'tcp', host: '127.0.0.1', port: 514 }, credential: KEY });
    await bad({ name: 'c', config: { kind: 'syslog', transport: 'tcp', host: '127.0.0.1', port: 514, caPem: '-----BEGIN CERTIFICATE-----' } });
    await bad({ name: 'p', config: { kind: 'syslog', transport: 'tcp', host: '127.0.0.1', port: 70000 } });
    await bad({ name: 'k', config: { kind: 'webhook', url }, credential: 'short' });
    await t.admin.addAuditSink({ grant: t.grant, sink: webhook() });
    await expect(t.admin.addAuditSink({ grant: t.grant, sink: { ...webhook(), name: 'HOOK' } })).rejects.toMatchObject({ code: 'conflict' });
  });

  it('pauses a credentialed sink while locked (credential wiped) and catches up after unlock', async () => {
    await t.admin.addAuditSink({ grant: t.grant, sink: { ...webhook(), startAt: 'oldest' } });
    await t.engine.ledger.appendMany(Array.from({ length: 5 }, (_, i) => agentRecord(i)));
    await until(() => received.includes(t.engine.ledger.head().seq));
    await t.admin.lock({});
    await runner.sync();
    expect((await t.admin.listAuditSinks({}))[0]?.health.state).toBe('paused_locked');
    await t.engine.ledger.appendMany(Array.from({ length: 7 }, (_, i) => agentRecord(10 + i)));
    const lockedHead = t.engine.ledger.head().seq;
    await new Promise((r) => setTimeout(r, 300));
    expect(received).not.toContain(lockedHead);
    expect((await t.admin.testAuditSink({ sinkId: 'hook' })).error).toBe('cannot start: vault_locked');

    await t.admin.unlock({ passphrase: TEST_PASSPHRASE });
    await until(() => received.includes(lockedHead));
    expect([...new Set(received)]).toEqual(Array.from({ length: Math.max(...received) }, (_, i) => i + 1));
  });

  it('a disabled sink keeps its cursor and catches up when enabled again', async () => {
    await t.admin.addAuditSink({ grant: t.grant, sink: webhook() });
    await t.admin.updateAuditSink({ grant: t.grant, sinkId: 'hook', changes: { enabled: false } });
    await runner.sync();
    const delivered = received.length;
    const cursor = t.engine.auditSinks.find('hook').cursorSeq;
    await t.engine.ledger.appendMany(Array.from({ length: 4 }, (_, i) => agentRecord(i)));
    await new Promise((r) => setTimeout(r, 300));
    expect(received).toHaveLength(delivered);
    expect((await t.admin.listAuditSinks({}))[0]?.health).toMatchObject({ state: 'disabled', lastDeliveredSeq: cursor });
    await t.admin.updateAuditSink({ grant: t.grant, sinkId: 'hook', changes: { enabled: true } });
    const head = t.engine.ledger.head().seq;
    await until(() => received.includes(head));
    expect(received.slice(delivered)).toEqual(Array.from({ length: head - cursor }, (_, i) => cursor + 1 + i));
  });
});
