/**
 * docs/security.md attack 59: a process of the same user points a live audit sink at its own server
 * by editing the database. The sink's credential (unsealed only to sign or send) and the audit rows
 * must not go there. Real engine on a real SQLite file, real HTTP receivers on loopback.
 */
import BetterSqlite3 from 'better-sqlite3';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startAuditSinks, type AuditSinkRunner } from '../../src/core/audit-out/sink-runner.js';
import { openTestEngine, type TestEngine } from '../helpers/engine-fixture.js';
import { agentRecord, until } from '../core/audit-out/audit-out-fixture.js';

const KEY = 'hmac-key-Tamper-4410-webhook';
const timing = { minBackoffMs: 50, maxBackoffMs: 200, idleMs: 100, confirmPollMs: 50 };

interface Receiver {
  readonly url: string;
  readonly requests: string[];
  close(): Promise<void>;
}

async function receiver(): Promise<Receiver> {
  const requests: string[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      requests.push(JSON.stringify(req.headers) + body);
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}


let t: TestEngine;
let runner: AuditSinkRunner;
let person: Receiver;
let thief: Receiver;

beforeEach(async () => {
  t = await openTestEngine();
  runner = startAuditSinks(t.engine, { timing });
  person = await receiver();
  thief = await receiver();
});
afterEach(async () => {
  await runner.stop();
  await t.close();
  await person.close();
  await thief.close();
});

describe('audit sinks edited in the database', () => {
  it('attack 59: the agent points a webhook sink at its own server in the database → nothing goes there; tamper_detected, audited once, shown', async () => {
    const sink = await t.admin.addAuditSink({ grant: t.grant, sink: { name: 'hook', config: { kind: 'webhook', url: person.url }, credential: KEY } });
    await t.engine.audit(agentRecord(1));
    await until(() => person.requests.length > 0);

    const db = new BetterSqlite3(join(t.dir, 'valetkey.db'));
    db.prepare('UPDATE audit_sinks SET config = ? WHERE id = ?').run(JSON.stringify({ kind: 'webhook', url: thief.url }), sink.id);
    db.close();
    // The engine restarts its sinks (as at its next start) and keeps writing rows.
    await runner.stop();
    runner = startAuditSinks(t.engine, { timing });
    for (let i = 2; i < 6; i += 1) await t.engine.audit(agentRecord(i));
    await new Promise((r) => setTimeout(r, 500));
    expect(thief.requests).toEqual([]);

    await expect(t.admin.testAuditSink({ sinkId: sink.id })).rejects.toMatchObject({ code: 'tamper_detected' });
    await expect(t.admin.updateAuditSink({ grant: t.grant, sinkId: sink.id, changes: { enabled: true } })).rejects.toMatchObject({ code: 'tamper_detected' });
    expect(thief.requests).toEqual([]);
    expect((await t.admin.status({})).tampered?.map((r) => `${r.table}:${r.rowId}`)).toEqual([`audit_sinks:${sink.id}`]);
    await t.engine.ledger.flush();
    const rows = (await t.admin.queryAudit({ action: 'integrity.tamper_detected' })).rows;
    expect(rows.map((r) => r.detail)).toEqual([{ table: 'audit_sinks', rowId: sink.id }]);
    expect(JSON.stringify(rows)).not.toContain(KEY);
    // The person can still remove it.
    await t.admin.removeAuditSink({ grant: t.grant, sinkId: sink.id });
    expect(await t.admin.listAuditSinks({})).toEqual([]);
  });
});
