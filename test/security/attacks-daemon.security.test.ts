/**
 * docs/security.md attacks 36, 37 and 41 against a real daemon process (keychain mode): a same-user
 * process without the passphrase tries to grant; a search of everything the engine wrote for a
 * secret and a token; an edited audit row. Agents talk to the daemon's real endpoint over TCP.
 */
import BetterSqlite3 from 'better-sqlite3';
import { mkdirSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpAdminClient, type HttpAdminClient } from '../../src/shared/admin-client/http-admin-client.js';
import type { VaultInfo } from '../../src/shared/model.js';
import { AgentClient, rawRequest } from '../helpers/agent-client.js';
import { runCli } from '../helpers/cli.js';
import { keychainAvailability } from '../helpers/temp-home.js';
import { openDaemonFixture, waitFor, type DaemonFixture } from '../e2e-agent/daemon-fixture.js';

const keychain = keychainAvailability();
const SECRET = 'vksec-DAEMON-ops-key-93e1b7c5a0';
const PAYROLL_SECRET = 'vksec-DAEMON-payroll-4c2f8d61b9';
const ENROLLMENT_GRANT = 'urn:valetkey:params:oauth:grant-type:enrollment';

describe.skipIf(keychain.skip)(`attacks on a running daemon ${keychain.reason}`, () => {
  let fx: DaemonFixture;
  let attacker: HttpAdminClient;
  let payroll: VaultInfo;
  let ops: VaultInfo;
  /** The person's grant session (as the dashboard keeps it), opened before any attack. */
  let session: { readonly session: string };
  beforeAll(async () => {
    fx = await openDaemonFixture();
    const grant = fx.grant;
    payroll = await fx.person.createVault({ grant, vault: { name: 'Payroll', approval: { mode: 'every_access' } } });
    ops = await fx.person.createVault({ grant, vault: { name: 'Ops' } });
    await fx.person.createEntry({ grant, vaultId: payroll.id, entry: { title: 'Bank', kind: 'api_key', fields: { apiKey: PAYROLL_SECRET } } });
    await fx.person.createEntry({ grant, vaultId: ops.id, entry: { title: 'Deploy', kind: 'api_key', fields: { apiKey: SECRET } } });
    // What any process of this user can read: admin.json, with the socket and the session secret.
    attacker = createHttpAdminClient({ socketPath: fx.adminInfo.socketPath, sessionSecret: fx.adminInfo.sessionSecret });
    session = { session: (await fx.person.openGrantSession({ passphrase: fx.grant.passphrase, minutes: 15 })).session };
  });
  afterAll(async () => {
    await fx?.close();
  });

  async function enroll(vaultId: string, name: string): Promise<{ agent: AgentClient; token: string; code: string }> {
    const created = await fx.person.createToken({ grant: session, token: { name, vaults: [vaultId], actions: ['read'], lifespanSeconds: 3600 } });
    const agent = await AgentClient.create(fx.tcp);
    const res = await agent.call('POST', '/v1/token', { form: { grant_type: ENROLLMENT_GRANT, enrollment_code: created.enrollmentCode, client_id: name } });
    expect(res.status, res.text).toBe(200);
    return { agent, token: res.body.access_token as string, code: created.enrollmentCode };
  }

  const refusedCodes = (results: readonly PromiseSettledResult<unknown>[]): string[] =>
    results.map((r) => (r.status === 'rejected' ? (r.reason as { code: string }).code : 'fulfilled'));

  it('attack 41: a same-user process with the admin socket, data directory and CLI but no passphrase cannot create a token, approve a pending request or lower a vault’s approval', async () => {
    // Something pending for the person: an agent's access to Payroll, and an agent asking for access.
    const { agent, token } = await enroll(payroll.id, 'payroll-bot');
    const waiting = agent.call('POST', '/v1/resolve', { token, json: { refs: ['vk://Payroll/Bank/api_key'], reason: 'pay the staff' } });
    waiting.catch(() => undefined); // awaited below; a failure before that should not also surface as unhandled
    const approval = await waitFor(async () => (await fx.person.listApprovals({ status: 'pending' }))[0], 'the approval prompt');
    const asker = await AgentClient.create(fx.tcp);
    const asked = await asker.call('POST', '/v1/device_authorization', { form: { client_id: 'sneaky', scope: `vault:${payroll.id}:read`, reason: 'let me in' } });
    expect(asked.status, asked.text).toBe(200);
    const [request] = await fx.person.listDeviceRequests({ status: 'pending' });
    const tokensBefore = (await fx.person.listTokens({})).length;
    const lastSeq = (await attacker.queryAudit({ limit: 1 })).rows[0]?.seq ?? 0;

    const proofs = [undefined, { passphrase: 'password123456' }, { session: 'forged-session-id' }] as const;
    const attempts = proofs.flatMap((grant) => {
      const g = grant === undefined ? {} : { grant };
      return [
        attacker.createToken({ ...g, token: { name: 'evil', vaults: [payroll.id], actions: ['read'], lifespanSeconds: 3600 } }),
        attacker.decideApproval({ ...g, approvalId: approval.id, decision: 'allow_for', minutes: 60 }),
        attacker.decideDeviceRequest({ ...g, requestId: request?.id ?? '', decision: 'approve' }),
        attacker.updateVault({ ...g, vaultId: payroll.id, changes: { approval: { mode: 'none' } } }),
      ];
    });
    const codes = refusedCodes(await Promise.allSettled(attempts));
    expect(codes).toEqual([...Array(4).fill('grant_required'), ...Array(4).fill('passphrase_invalid'), ...Array(4).fill('grant_required')]);
    // The CLI, with a guessed passphrase typed in.
    const cli = await runCli(fx.home, ['vault', 'set', 'Payroll', '--approval', 'none'], { input: 'letmein12345\n' });
    expect(cli.code).not.toBe(0);
    expect(cli.stderr + cli.stdout).not.toContain(PAYROLL_SECRET);
    // The agent endpoint grants nothing either: the admin API is not there.
    const viaAgentPort = await rawRequest(fx.tcp, { method: 'POST', path: '/admin/v1/decideApproval', headers: ['Content-Type', 'application/json'], body: JSON.stringify({ approvalId: approval.id, decision: 'allow_once' }) });
    expect([viaAgentPort.status, viaAgentPort.body?.error]).toEqual([404, 'not_found']);

    // Each attempt is audited; nothing changed.
    const refusals = (await attacker.queryAudit({ action: 'admin.grant_refused', limit: 500 })).rows.filter((r) => r.seq > lastSeq);
    expect(refusals).toHaveLength(13); // twelve over the socket, one from the CLI
    expect(refusals.map((r) => r.errorCode).sort()).toEqual([...Array(8).fill('grant_required'), ...Array(5).fill('passphrase_invalid')]);
    expect(new Set(refusals.map((r) => (r.detail as { method: string }).method))).toEqual(new Set(['createToken', 'decideApproval', 'decideDeviceRequest', 'updateVault']));
    expect((await fx.person.listTokens({})).length).toBe(tokensBefore);
    expect((await fx.person.listVaults({})).find((v) => v.id === payroll.id)?.approval).toEqual({ mode: 'every_access' });
    expect((await fx.person.listApprovals({ status: 'pending' })).map((a) => a.id)).toEqual([approval.id]);
    expect((await fx.person.listDeviceRequests({ status: 'pending' })).map((r) => r.id)).toEqual([request?.id]);

    // Five wrong guesses in a minute: guessing stops (a sixth try waits a minute, right or wrong).
    await expect(attacker.createToken({ grant: fx.grant, token: { name: 'evil', vaults: [payroll.id], actions: ['read'], lifespanSeconds: 3600 } })).rejects.toMatchObject({ code: 'rate_limited' });
    // Only the person decides: with their session, a denial reaches the waiting agent.
    await fx.person.decideApproval({ grant: session, approvalId: approval.id, decision: 'deny' });
    await fx.person.decideDeviceRequest({ grant: session, requestId: request?.id ?? '', decision: 'deny' });
    const denied = await waiting;
    expect([denied.status, denied.body?.error]).toEqual([403, 'approval_denied']);
    expect(denied.text).not.toContain(PAYROLL_SECRET);
  });

  it('attack 37: grep the database, logs and exports for a secret value and a token → nothing', async () => {
    const { agent, token, code } = await enroll(ops.id, 'ops-bot');
    const read = await agent.call('POST', '/v1/resolve', { token, json: { refs: ['vk://Ops/Deploy/api_key'], reason: 'deploy' } });
    expect(read.body.values).toEqual({ 'vk://Ops/Deploy/api_key': SECRET });
    const exports = join(fx.home, 'exports');
    mkdirSync(exports, { mode: 0o700 });
    for (const format of ['jsonl', 'csv'] as const) {
      const summary = await fx.person.exportAudit({ grant: session, format, path: join(exports, `audit.${format}`) });
      expect(summary.rows).toBeGreaterThan(0);
    }
    const listed = await runCli(fx.home, ['audit', 'list', '--json', '--limit', '500']);
    expect(listed.stdout).toContain('secret.read'); // the search below looks where the rows are
    const haystacks: [string, Buffer][] = [
      ...filesUnder(fx.home).map((f): [string, Buffer] => [f, readFileSync(f)]),
      ['daemon output', Buffer.from(fx.daemon.output())],
      ['audit list', Buffer.from(listed.stdout + listed.stderr)],
    ];
    expect(haystacks.map(([name]) => name).some((n) => n.endsWith('valetkey.db'))).toBe(true);
    const needles = { secret: SECRET, payroll: PAYROLL_SECRET, token, signature: token.split('.')[2] ?? '', enrollmentCode: code };
    for (const [name, bytes] of haystacks) {
      for (const [what, needle] of Object.entries(needles)) {
        expect(bytes.includes(Buffer.from(needle, 'utf8')), `${what} in ${name}`).toBe(false);
        expect(bytes.includes(Buffer.from(needle, 'utf16le')), `${what} (utf16) in ${name}`).toBe(false);
      }
    }
  });

  it('attack 36: edit one row in the middle of the audit table → `audit verify` names that row', async () => {
    expect((await runCli(fx.home, ['audit', 'verify'])).code).toBe(0);
    const { rows } = await fx.person.queryAudit({ action: 'secret.read', limit: 500 });
    const total = (await fx.person.verifyAudit({})).lastSeq;
    const target = rows.find((r) => r.seq > 2 && r.seq < total - 2);
    if (target === undefined) throw new Error('no audit row in the middle');
    // Someone with the database file hides what an agent read, leaving the hash as it was.
    const db = new BetterSqlite3(join(fx.home, 'valetkey.db'));
    try {
      db.prepare("UPDATE audit SET reason = 'nothing to see here' WHERE seq = ?").run(target.seq);
    } finally {
      db.close();
    }
    const broken = await runCli(fx.home, ['audit', 'verify']);
    expect(broken.code).toBe(7);
    expect(broken.stdout).toContain(`row ${target.seq}`);
    expect((await fx.person.verifyAudit({})).firstBadSeq).toBe(target.seq);
  });
});

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    const st = statSync(path);
    return st.isDirectory() ? filesUnder(path) : st.isFile() ? [path] : [];
  });
}
