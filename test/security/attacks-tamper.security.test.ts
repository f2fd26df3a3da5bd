/**
 * docs/security.md attacks 52–61 against a real daemon process (keychain mode): a process of the
 * same OS user writes the database file directly, to grant itself what only a person may, or to
 * hide what it did from the audit log. Agents talk to the daemon's real endpoint over TCP.
 */
import BetterSqlite3 from 'better-sqlite3';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowHash } from '../../src/core/audit/audit-chain.js';
import { AUDIT_COLUMNS, decodeAuditRow, type AuditDbRow } from '../../src/core/audit/audit-row-codec.js';
import { readAdminInfo } from '../../src/core/daemon/admin-info.js';
import { createHttpAdminClient, type HttpAdminClient } from '../../src/shared/admin-client/http-admin-client.js';
import type { AuditRow, VaultInfo } from '../../src/shared/model.js';
import { AgentClient, type AgentResponse } from '../helpers/agent-client.js';
import { PASSPHRASE, runCli, startDaemonProcess, type DaemonProcess } from '../helpers/cli.js';
import { keychainAvailability } from '../helpers/temp-home.js';
import { openDaemonFixture, waitFor, type DaemonFixture } from '../e2e-agent/daemon-fixture.js';

const keychain = keychainAvailability();
const PAYROLL_SECRET = 'vksec-TAMPER-payroll-71d0c2e9a4';
const OPS_SECRET = 'vksec-TAMPER-ops-5b8e3f1c07';
const ENROLLMENT_GRANT = 'urn:valetkey:params:oauth:grant-type:enrollment';
const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';
const YEAR_MS = 365 * 24 * 3600 * 1000;

describe.skipIf(keychain.skip)(`attacks on granting rows and the audit log ${keychain.reason}`, () => {
  let fx: DaemonFixture;
  let daemon: DaemonProcess;
  let person: HttpAdminClient;
  let payroll: VaultInfo;
  let bankEntryId: string;
  let ops: VaultInfo;
  let session: { readonly session: string };

  beforeAll(async () => {
    fx = await openDaemonFixture();
    daemon = fx.daemon;
    person = fx.person;
    payroll = await person.createVault({ grant: fx.grant, vault: { name: 'Payroll', approval: { mode: 'every_access' } } });
    ops = await person.createVault({ grant: fx.grant, vault: { name: 'Ops' } });
    bankEntryId = (await person.createEntry({ grant: fx.grant, vaultId: payroll.id, entry: { title: 'Bank', kind: 'api_key', fields: { apiKey: PAYROLL_SECRET } } })).id;
    await person.createEntry({ grant: fx.grant, vaultId: ops.id, entry: { title: 'Deploy', kind: 'api_key', fields: { apiKey: OPS_SECRET } } });
    session = { session: (await person.openGrantSession({ passphrase: fx.grant.passphrase, minutes: 15 })).session };
  });
  afterAll(async () => {
    await daemon?.stop();
    await fx?.close();
  });

  /** What the agent does with the data directory: open the database file and write to it. */
  function writeDb(sql: string, ...params: unknown[]): void {
    withDb((db) => db.prepare(sql).run(...params));
  }

  /** The engine reads tokens at start-up: restart it as the person would, and reconnect. */
  async function restart(args: readonly string[] = [], input?: string): Promise<void> {
    await daemon.stop();
    daemon = await startDaemonProcess(fx.home, {}, { args, ...(input !== undefined ? { input } : {}) });
    const info = readAdminInfo(join(fx.home, 'admin.json'));
    person = createHttpAdminClient({ socketPath: info.socketPath, sessionSecret: info.sessionSecret });
    session = { session: (await person.openGrantSession({ passphrase: fx.grant.passphrase, minutes: 15 })).session };
  }

  async function enroll(vaultId: string, name: string): Promise<{ agent: AgentClient; token: string; tokenId: string }> {
    const created = await person.createToken({ grant: session, token: { name, vaults: [vaultId], actions: ['read'], lifespanSeconds: 3600 } });
    const agent = await AgentClient.create(fx.tcp);
    const res = await agent.call('POST', '/v1/token', { form: { grant_type: ENROLLMENT_GRANT, enrollment_code: created.enrollmentCode, client_id: name } });
    expect(res.status, res.text).toBe(200);
    return { agent, token: res.body.access_token as string, tokenId: created.token.id };
  }

  const resolve = (agent: AgentClient, token: string, ref: string): Promise<AgentResponse> =>
    agent.call('POST', '/v1/resolve', { token, json: { refs: [ref], reason: 'tamper suite' } });

  function expectRefused(res: AgentResponse, status: number, code: string): void {
    expect([res.status, res.body?.error], res.text).toEqual([status, code]);
    for (const secret of [PAYROLL_SECRET, OPS_SECRET]) expect(res.text).not.toContain(secret);
    expect(res.text).not.toMatch(/access_token/);
  }

  /** Audit rows naming this tampered row: exactly one however often it is tried. */
  async function tamperRows(table: string, rowId: string): Promise<AuditRow[]> {
    const { rows } = await person.queryAudit({ action: 'integrity.tamper_detected', limit: 500 });
    return rows.filter((r) => (r.detail as { table?: string; rowId?: string } | null)?.table === table && (r.detail as { rowId?: string }).rowId === rowId);
  }

  async function expectShownToPerson(table: string, rowId: string): Promise<void> {
    // Written without holding up the refusal: wait for it, then there must be exactly one.
    const rows = await waitFor(async () => {
      const found = await tamperRows(table, rowId);
      return found.length > 0 ? found : undefined;
    }, 'the tamper_detected row');
    expect(rows.map((r) => [r.actor, r.outcome, r.errorCode])).toEqual([['engine', 'error', 'tamper_detected']]);
    const status = await person.status({});
    expect(status.tampered?.map((t) => `${t.table}:${t.rowId}`)).toContain(`${table}:${rowId}`);
    const cli = await runCli(fx.home, ['status']);
    expect(cli.stdout).toContain('TAMPERING');
    expect(cli.stdout).toContain(rowId);
  }

  it('attack 52: the agent marks its own device request approved in the database → its poll gets tamper_detected, no token', async () => {
    const agent = await AgentClient.create(fx.tcp);
    const asked = await agent.call('POST', '/v1/device_authorization', { form: { client_id: 'sneaky', scope: `vault:${payroll.id}:read`, reason: 'let me in' } });
    expect(asked.status, asked.text).toBe(200);
    const request = await waitFor(async () => (await person.listDeviceRequests({ status: 'pending' })).find((r) => r.keyThumbprint === agent.jkt), 'the prompt');
    const tokensBefore = (await person.listTokens({})).length;
    writeDb(
      "UPDATE device_requests SET status = 'approved', granted_scope = scope, granted_lifespan_seconds = 31536000, decided_at = ? WHERE id = ?",
      Date.now(),
      request.id,
    );
    const poll = await agent.call('POST', '/v1/token', { form: { grant_type: DEVICE_GRANT, device_code: asked.body.device_code as string, client_id: 'sneaky' } });
    expectRefused(poll, 403, 'tamper_detected');
    expect((await person.listTokens({})).length).toBe(tokensBefore);
    await expectShownToPerson('device_requests', request.id);
  });

  it('attack 53: the agent inserts an allowed approval for an every-access vault → tamper_detected, nothing released, no prompt answered by it', async () => {
    const { agent, token, tokenId } = await enroll(payroll.id, 'payroll-bot');
    const now = Date.now();
    writeDb(
      `INSERT INTO approvals (id, token_id, jkt, agent, vault_id, entry_id, action, status, decision, minutes, created_at, expires_at, decided_at, valid_until, setting)
       VALUES ('forged-approval', ?, ?, 'payroll-bot', ?, ?, 'read', 'allowed', 'allow_for', 60, ?, ?, ?, ?, '{"mode":"every_access"}')`,
      tokenId, agent.jkt, payroll.id, bankEntryId, now, now + 120_000, now, now + 3_600_000,
    );
    for (let i = 0; i < 2; i += 1) expectRefused(await resolve(agent, token, 'vk://Payroll/Bank/api_key'), 403, 'tamper_detected');
    expect(await person.listApprovals({ status: 'pending' })).toEqual([]); // refused, not quietly turned into a prompt
    // Refusal rows are written without holding up the answer: wait for both.
    const reads = await waitFor(async () => {
      const rows = (await person.queryAudit({ tokenId, limit: 50 })).rows;
      return rows.filter((r) => r.outcome === 'refused').length >= 2 ? rows : undefined;
    }, 'the refusal rows');
    expect(reads.filter((r) => r.action === 'secret.read' && r.outcome === 'allowed')).toEqual([]);
    expect(reads.filter((r) => r.outcome === 'refused').map((r) => r.errorCode)).toEqual(['tamper_detected', 'tamper_detected']);
    await expectShownToPerson('approvals', 'forged-approval'); // one audit row for two attempts
  });

  it('attack 54: the agent widens its token (scope, expiry, uses) or forges one with an enrollment code it knows → refused after restart', async () => {
    const wide = await enroll(ops.id, 'ops-bot');
    expect(JSON.stringify((await resolve(wide.agent, wide.token, 'vk://Ops/Deploy/api_key')).body)).toContain(OPS_SECRET);
    writeDb('UPDATE tokens SET scope = ?, expires_at = expires_at + ?, max_uses = NULL, uses = 0 WHERE id = ?', `vault:${ops.id}:read vault:${payroll.id}:read`, YEAR_MS, wide.tokenId);
    // A whole token row of its own, with the hash of a code it chose: redeeming it would sign a JWT.
    const code = 'forged-enrollment-code-0123456789abcdef';
    const { createHash } = await import('node:crypto');
    const hash = createHash('sha256').update(code).digest('base64url');
    writeDb(
      `INSERT INTO tokens (id, name, origin, scope, binding, approval, uses, created_at, expires_at, enrollment_hash, enrollment_expires_at, actors)
       VALUES ('forged-token', 'evil', 'app', ?, 'dpop', '"vault"', 0, ?, ?, ?, ?, '[]')`,
      `vault:${payroll.id}:read`, Date.now(), Date.now() + YEAR_MS, hash, Date.now() + 600_000,
    );
    await restart();
    expectRefused(await resolve(wide.agent, wide.token, 'vk://Ops/Deploy/api_key'), 403, 'tamper_detected');
    const thief = await AgentClient.create(fx.tcp);
    const redeem = await thief.call('POST', '/v1/token', { form: { grant_type: ENROLLMENT_GRANT, enrollment_code: code, client_id: 'evil' } });
    expect(redeem.status, redeem.text).not.toBe(200);
    expect(redeem.text).not.toContain('access_token');
    await expectShownToPerson('tokens', wide.tokenId);
    await expectShownToPerson('tokens', 'forged-token');
  });

  it('attack 55: the agent clears revoked_at on its revoked token → still refused (tamper_detected) after restart', async () => {
    const t = await enroll(ops.id, 'revoked-bot');
    await person.revokeToken({ tokenId: t.tokenId });
    writeDb('UPDATE tokens SET revoked_at = NULL, revoked_reason = NULL WHERE id = ?', t.tokenId);
    await restart();
    expectRefused(await resolve(t.agent, t.token, 'vk://Ops/Deploy/api_key'), 403, 'tamper_detected');
    await expectShownToPerson('tokens', t.tokenId);
  });

  it('attack 56: the agent deletes its revoked token’s row → the signed token alone is refused (invalid_token)', async () => {
    const t = await enroll(ops.id, 'deleted-bot');
    await person.revokeToken({ tokenId: t.tokenId });
    writeDb('DELETE FROM tokens WHERE id = ?', t.tokenId);
    await restart();
    const lastSeq = (await person.queryAudit({ limit: 1 })).rows[0]?.seq ?? 0;
    const res = await resolve(t.agent, t.token, 'vk://Ops/Deploy/api_key');
    expectRefused(res, 401, 'invalid_token');
    const refused = await waitFor(async () => {
      const rows = (await person.queryAudit({ outcome: 'refused', limit: 10 })).rows.filter((r) => r.seq > lastSeq);
      return rows.length > 0 ? rows : undefined;
    }, 'the refusal row');
    expect(refused.map((r) => r.errorCode)).toEqual(['invalid_token']);
  });

  /**
   * A chain cut or rewritten below the keychain's high-water mark: the engine refuses to start on
   * it (tamper_detected), and the person has to accept the file explicitly to look into it.
   */
  async function restartAcceptingOlder(): Promise<void> {
    await daemon.stop();
    const refused = await startDaemonProcess(fx.home).then(
      async (d) => {
        await d.stop();
        return 'started';
      },
      (e: unknown) => String(e),
    );
    expect(refused).toContain('older than the engine');
    expect(refused).toContain('[tamper_detected]');
    await restart(['--accept-older-database'], `${PASSPHRASE}\n`);
  }

  /** The stopped engine's files, to put back after an attack that breaks the log for good. */
  function snapshot(): () => void {
    const files = ['valetkey.db', 'valetkey.db-wal', 'valetkey.db-shm'].map((f) => join(fx.home, f)).filter((f) => existsSync(f));
    const copies = files.map((f) => [f, readFileSync(f)] as const);
    return () => {
      for (const f of ['valetkey.db-wal', 'valetkey.db-shm']) rmSync(join(fx.home, f), { force: true });
      for (const [f, bytes] of copies) writeFileSync(f, bytes);
    };
  }

  it('attack 57: the agent rewrites an audit row, recomputes the later hashes and deletes the checkpoints from there on → `audit verify` fails and names the rows', async () => {
    expect((await runCli(fx.home, ['audit', 'verify'])).code).toBe(0);
    const target = (await person.queryAudit({ action: 'secret.read', limit: 5 })).rows.at(-1);
    if (target === undefined) throw new Error('no secret.read row');
    await daemon.stop(); // a clean shutdown signs the head; the agent edits the stopped engine's file
    const restore = snapshot();
    withDb((db) => {
      db.prepare('UPDATE audit SET reason = ? WHERE seq = ?').run('nothing to see here', target.seq);
      recomputeChain(db, target.seq);
      db.prepare('DELETE FROM audit_checkpoints WHERE seq >= ?').run(target.seq);
    });
    await restartAcceptingOlder();
    const verify = await runCli(fx.home, ['audit', 'verify']);
    expect(verify.code).toBe(7);
    expect(verify.stdout).toMatch(/AUDIT CHAIN BROKEN at row 1: the signed head at row \d+ does not match the chain: a row from 1 to \d+ was rewritten/);
    expect(await person.verifyAudit({})).toMatchObject({ ok: false, firstBadSeq: 1 });
    expect((await person.status({})).tampered?.map((t) => t.table)).toContain('audit_head');
    // Deleting the signed head as well leaves an initialised log with no proof of its end: also a failure.
    await daemon.stop();
    withDb((db) => db.prepare('DELETE FROM audit_head').run());
    await restart();
    expect(await person.verifyAudit({})).toMatchObject({ ok: false, problem: 'the signed audit head is missing: where the log ended cannot be proven' });
    await daemon.stop();
    restore();
    await restartAcceptingOlder(); // the person's own copy, older than what the engine saw since
    expect(await person.verifyAudit({})).toMatchObject({ ok: true });
  });

  it('attack 58: the agent deletes the last audit rows and their checkpoints → `audit verify` fails: the signed head counts more rows', async () => {
    await daemon.stop();
    let cut = 0;
    withDb((db) => {
      cut = (db.prepare('SELECT max(seq) FROM audit').pluck().get() as number) - 3;
      db.prepare('DELETE FROM audit WHERE seq > ?').run(cut);
      db.prepare('DELETE FROM audit_checkpoints WHERE seq > ?').run(cut);
    });
    await restartAcceptingOlder();
    const result = await person.verifyAudit({});
    expect(result.ok).toBe(false);
    // The engine's own rows since the restart refill the numbers cut off, so the verifier names the
    // first row no signature vouches for; it cannot be later than the first row removed.
    expect(result.firstBadSeq).toBeLessThanOrEqual(cut + 1);
    expect(result.problem).toMatch(/^rows \d+ to \d+ are missing: the signed head shows the log had \d+ rows$|^the signed head at row \d+ does not match the chain/);
    expect((await runCli(fx.home, ['audit', 'verify'])).code).toBe(7);
  });

  function withDb(edit: (db: BetterSqlite3.Database) => void): void {
    const db = new BetterSqlite3(join(fx.home, 'valetkey.db'));
    try {
      edit(db);
    } finally {
      db.close();
    }
  }
});

/** Recompute every chain hash after `fromSeq - 1` with the documented formula, as an attacker would. */
function recomputeChain(db: BetterSqlite3.Database, fromSeq: number): void {
  let prev: Uint8Array = new Uint8Array(db.prepare('SELECT hash FROM audit WHERE seq = ?').pluck().get(fromSeq - 1) as Buffer);
  const update = db.prepare('UPDATE audit SET hash = ? WHERE seq = ?');
  for (const row of db.prepare<[number], AuditDbRow>(`SELECT ${AUDIT_COLUMNS} FROM audit WHERE seq >= ? ORDER BY seq`).all(fromSeq)) {
    const { hash: _old, ...chained } = decodeAuditRow(row, true);
    prev = rowHash(prev, chained);
    update.run(prev, row.seq);
  }
}
