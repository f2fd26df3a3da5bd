/**
 * docs/security.md attacks 89, 90 and 95 against a real daemon process (keychain mode): the agent
 * copies the whole database (or one token row) while its token is valid, waits for the person to
 * revoke it and puts the copy back. Every row MAC in the copy is genuine; the keychain's high-water
 * mark (integrity/high-water-mark.ts) knows the file is older than the engine's own record, and
 * the audit log knows the row is (integrity/revocations-in-log.ts).
 */
import BetterSqlite3 from 'better-sqlite3';
import { copyFileSync, existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AgentClient, type AgentResponse } from '../helpers/agent-client.js';
import { PASSPHRASE, PROCESS_SETUP_TIMEOUT_MS, startDaemonProcess } from '../helpers/cli.js';
import { keychainAvailability } from '../helpers/temp-home.js';
import type { DaemonFixture } from '../e2e-agent/daemon-fixture.js';
import { expectTamperShownOnce, openOpsDaemon, type OpsDaemon } from './ops-daemon-fixture.js';

const keychain = keychainAvailability();
const SECRET = 'vksec-ROLLBACK-ops-3f9a61c2d8';
const ENROLLMENT_GRANT = 'urn:valetkey:params:oauth:grant-type:enrollment';
const DB_FILES = ['valetkey.db', 'valetkey.db-wal'] as const;

describe.skipIf(keychain.skip)(`attacks: a database put back from an earlier copy ${keychain.reason}`, () => {
  let d: OpsDaemon;
  let fx: DaemonFixture;

  beforeAll(async () => {
    d = await openOpsDaemon(SECRET);
    fx = d.fx;
  }, PROCESS_SETUP_TIMEOUT_MS);
  afterAll(async () => {
    await d?.close();
  });

  async function enroll(name: string): Promise<{ agent: AgentClient; token: string; tokenId: string }> {
    const created = await d.person.createToken({ grant: fx.grant, token: { name, vaults: [d.ops.id], actions: ['read'], lifespanSeconds: 3600 } });
    const agent = await AgentClient.create(fx.tcp);
    const res = await agent.call('POST', '/v1/token', { form: { grant_type: ENROLLMENT_GRANT, enrollment_code: created.enrollmentCode, client_id: name } });
    expect(res.status, res.text).toBe(200);
    return { agent, token: res.body.access_token as string, tokenId: created.token.id };
  }

  const read = (agent: AgentClient, token: string): Promise<AgentResponse> =>
    agent.call('POST', '/v1/resolve', { token, json: { refs: ['vk://Ops/Deploy/api_key'], reason: 'rollback suite' } });

  /** What the agent does: copy the live database files aside (as `cp` would), and later put them back. */
  function copyAside(tag: string): () => void {
    const saved = DB_FILES.filter((f) => existsSync(join(fx.home, f))).map((f) => {
      copyFileSync(join(fx.home, f), join(fx.home, `${f}.${tag}`));
      return f;
    });
    return () => {
      for (const f of [...DB_FILES, 'valetkey.db-shm']) rmSync(join(fx.home, f), { force: true });
      for (const f of saved) copyFileSync(join(fx.home, `${f}.${tag}`), join(fx.home, f));
    };
  }

  /** The daemon refuses to start: the error is the person's sentence, never a secret. */
  async function expectRefusedStart(args: readonly string[] = [], input?: string): Promise<string> {
    const started = startDaemonProcess(fx.home, {}, { args, ...(input !== undefined ? { input } : {}) });
    const error = await started.then(
      async (d) => {
        await d.stop();
        return undefined;
      },
      (e: unknown) => String(e),
    );
    if (error === undefined) throw new Error('the daemon started on a database older than its mark');
    expect(error).not.toContain(SECRET);
    return error;
  }

  const withDb = <T>(run: (db: BetterSqlite3.Database) => T): T => withDbAt(join(fx.home, 'valetkey.db'), run);

  function auditActions(): { action: string; errorCode: string | null; detail: string | null }[] {
    const db = new BetterSqlite3(join(fx.home, 'valetkey.db'), { readonly: true });
    try {
      return db.prepare<[], { action: string; errorCode: string | null; detail: string | null }>("SELECT action, error_code AS errorCode, detail FROM audit WHERE action LIKE 'integrity.%' ORDER BY seq").all();
    } finally {
      db.close();
    }
  }

  it('attack 89: the agent copies the database while its token is valid, the person revokes it, the agent kills the engine and puts the copy back → the engine refuses to start (tamper_detected); the token opens nothing', async () => {
    const t = await enroll('rollback-bot');
    expect(JSON.stringify((await read(t.agent, t.token)).body)).toContain(SECRET);
    const putBack = copyAside('before-revoke');

    await d.person.revokeToken({ tokenId: t.tokenId });
    expect((await read(t.agent, t.token)).status).toBe(401);
    await d.daemon.stop('SIGKILL');
    putBack();

    const error = await expectRefusedStart();
    expect(error).toContain('[tamper_detected]');
    expect(error).toContain('older than the engine');
    expect(error).toContain('--accept-older-database');
    // Nothing serves the old file, so the revoked token reaches no engine; the refusal is in the file's own log.
    expect((await read(t.agent, t.token).catch(() => undefined))?.status).not.toBe(200);
    const refusal = auditActions().filter((r) => r.action === 'integrity.tamper_detected');
    expect(refusal.map((r) => [r.errorCode, JSON.parse(r.detail ?? 'null')])).toEqual([['tamper_detected', { table: 'audit_head', rowId: 'high-water mark' }]]);
  });

  it('attack 90: accepting the older database needs the admin passphrase: a wrong one starts nothing; the right one starts the engine and audits the acceptance', async () => {
    const wrong = await expectRefusedStart(['--accept-older-database'], 'not the passphrase\n');
    expect(wrong).toContain('[passphrase_invalid]');

    await d.restart(['--accept-older-database'], `${PASSPHRASE}\n`);
    const accepted = await d.person.queryAudit({ action: 'integrity.older_database_accepted', limit: 5 });
    expect(accepted.rows.map((r) => [r.actor, r.outcome])).toEqual([['person', 'ok']]);
    // From now on this file is the reference: a plain restart after a clean stop is not refused.
    await d.restart();
    expect((await d.person.status({})).locked).toBe(false);
  });

  it('attack 95: the agent saves its token row while valid and writes it back (genuine MAC of its time) after the revocation, leaving the rest of the file current → the token is refused (tamper_detected), audited once and shown', async () => {
    const t = await enroll('row-replay-bot');
    expect(JSON.stringify((await read(t.agent, t.token)).body)).toContain(SECRET);
    const saved = withDb((db) => db.prepare('SELECT * FROM tokens WHERE id = ?').get(t.tokenId) as Record<string, unknown>);
    await d.person.revokeToken({ tokenId: t.tokenId });
    await d.daemon.stop();
    withDb((db) => {
      db.prepare('DELETE FROM tokens WHERE id = ?').run(t.tokenId);
      const columns = Object.keys(saved);
      db.prepare(`INSERT INTO tokens (${columns.join(', ')}) VALUES (${columns.map((c) => `@${c}`).join(', ')})`).run(saved);
    });
    await d.restart();

    for (let i = 0; i < 2; i += 1) {
      const res = await read(t.agent, t.token);
      expect([res.status, res.body?.error], res.text).toEqual([403, 'tamper_detected']);
      expect(res.text).not.toContain(SECRET);
    }
    await expectTamperShownOnce(d.person, 'tokens', t.tokenId);
  });
});

function withDbAt<T>(file: string, run: (db: BetterSqlite3.Database) => T): T {
  const db = new BetterSqlite3(file);
  try {
    return run(db);
  } finally {
    db.close();
  }
}
