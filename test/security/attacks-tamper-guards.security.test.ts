/**
 * docs/security.md attacks 93 and 96 against a real daemon process (keychain mode): a token's
 * tripwire guard (its rules and its pause) is a sealed row the agent cannot change, but could delete
 * or put back from before a pause. The token's own MAC'd row says it has one (`guarded`), and the
 * audit log says when it was last paused, so neither frees the token.
 */
import BetterSqlite3 from 'better-sqlite3';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditRow, VaultInfo } from '../../src/shared/model.js';
import { readAdminInfo } from '../../src/core/daemon/admin-info.js';
import { createHttpAdminClient, type HttpAdminClient } from '../../src/shared/admin-client/http-admin-client.js';
import { AgentClient, type AgentResponse } from '../helpers/agent-client.js';
import { PROCESS_SETUP_TIMEOUT_MS, runCli, startDaemonProcess, type DaemonProcess } from '../helpers/cli.js';
import { keychainAvailability } from '../helpers/temp-home.js';
import { openDaemonFixture, waitFor, type DaemonFixture } from '../e2e-agent/daemon-fixture.js';

const keychain = keychainAvailability();
const SECRET = 'vksec-GUARD-ops-8c1e5d0a73';
const ENROLLMENT_GRANT = 'urn:valetkey:params:oauth:grant-type:enrollment';

describe.skipIf(keychain.skip)(`attacks: a token's tripwire guard deleted from the database ${keychain.reason}`, () => {
  let fx: DaemonFixture;
  let daemon: DaemonProcess;
  let person: HttpAdminClient;
  let ops: VaultInfo;

  beforeAll(async () => {
    fx = await openDaemonFixture();
    daemon = fx.daemon;
    person = fx.person;
    ops = await person.createVault({ grant: fx.grant, vault: { name: 'Ops' } });
    await person.createEntry({ grant: fx.grant, vaultId: ops.id, entry: { title: 'Deploy', kind: 'api_key', fields: { apiKey: SECRET } } });
  }, PROCESS_SETUP_TIMEOUT_MS);
  afterAll(async () => {
    await daemon?.stop();
    await fx?.close();
  });

  async function restart(): Promise<void> {
    await daemon.stop();
    daemon = await startDaemonProcess(fx.home);
    const info = readAdminInfo(join(fx.home, 'admin.json'));
    person = createHttpAdminClient({ socketPath: info.socketPath, sessionSecret: info.sessionSecret });
  }

  const read = (agent: AgentClient, token: string): Promise<AgentResponse> =>
    agent.call('POST', '/v1/resolve', { token, json: { refs: ['vk://Ops/Deploy/api_key'], reason: 'guard suite' } });

  function guardValue(tokenId: string, value?: string): string | undefined {
    const db = new BetterSqlite3(join(fx.home, 'valetkey.db'));
    try {
      if (value !== undefined) db.prepare('UPDATE settings SET value = ? WHERE key = ?').run(value, `token_guard:${tokenId}`);
      return db.prepare<[string], string>('SELECT value FROM settings WHERE key = ?').pluck().get(`token_guard:${tokenId}`);
    } finally {
      db.close();
    }
  }

  function deleteGuard(tokenId: string): number {
    const db = new BetterSqlite3(join(fx.home, 'valetkey.db'));
    try {
      return db.prepare('DELETE FROM settings WHERE key = ?').run(`token_guard:${tokenId}`).changes;
    } finally {
      db.close();
    }
  }

  async function tamperRows(rowId: string): Promise<AuditRow[]> {
    const { rows } = await person.queryAudit({ action: 'integrity.tamper_detected', limit: 500 });
    return rows.filter((r) => (r.detail as { rowId?: string } | null)?.rowId === rowId);
  }

  it('attack 93: the agent deletes its paused token’s guard row → after a restart the token is refused (tamper_detected), not resumed; audited once and shown', async () => {
    const created = await person.createToken({ grant: fx.grant, token: { name: 'guarded-bot', vaults: [ops.id], actions: ['read'], lifespanSeconds: 3600 } });
    const agent = await AgentClient.create(fx.tcp);
    const redeemed = await agent.call('POST', '/v1/token', { form: { grant_type: ENROLLMENT_GRANT, enrollment_code: created.enrollmentCode, client_id: 'guarded-bot' } });
    expect(redeemed.status, redeemed.text).toBe(200);
    const token = redeemed.body.access_token as string;
    expect(JSON.stringify((await read(agent, token)).body)).toContain(SECRET);
    await person.pauseToken({ tokenId: created.token.id });
    expect((await read(agent, token)).body?.error).toBe('token_paused');

    await daemon.stop();
    expect(deleteGuard(created.token.id)).toBe(1);
    await restart();

    for (let i = 0; i < 2; i += 1) {
      const res = await read(agent, token);
      expect([res.status, res.body?.error], res.text).toEqual([403, 'tamper_detected']);
      expect(res.text).not.toContain(SECRET);
    }
    const rowId = `token_guard:${created.token.id}`;
    const rows = await waitFor(async () => {
      const found = await tamperRows(rowId);
      return found.length > 0 ? found : undefined;
    }, 'the tamper_detected row');
    expect(rows.map((r) => [r.actor, r.outcome, r.errorCode, r.detail])).toEqual([['engine', 'error', 'tamper_detected', { table: 'settings', rowId }]]);
    expect((await person.status({})).tampered?.map((t) => `${t.table}:${t.rowId}`)).toContain(`settings:${rowId}`);
    expect((await runCli(fx.home, ['status'])).stdout).toContain(rowId);
    // A token that never had a guard is not affected by the new check.
    const plain = await person.createToken({ grant: fx.grant, token: { name: 'plain-bot', vaults: [ops.id], actions: ['read'], lifespanSeconds: 3600 } });
    const other = await AgentClient.create(fx.tcp);
    const ok = await other.call('POST', '/v1/token', { form: { grant_type: ENROLLMENT_GRANT, enrollment_code: plain.enrollmentCode, client_id: 'plain-bot' } });
    expect(JSON.stringify((await read(other, ok.body.access_token as string)).body)).toContain(SECRET);
  });

  it('attack 96: the agent saves its token’s guard while unpaused and writes it back after the token was paused → after a restart the token stays paused (token_paused); tamper_detected audited once and shown', async () => {
    const created = await person.createToken({ grant: fx.grant, token: { name: 'replay-bot', vaults: [ops.id], actions: ['read'], lifespanSeconds: 3600 } });
    const agent = await AgentClient.create(fx.tcp);
    const redeemed = await agent.call('POST', '/v1/token', { form: { grant_type: ENROLLMENT_GRANT, enrollment_code: created.enrollmentCode, client_id: 'replay-bot' } });
    const token = redeemed.body.access_token as string;
    // Paused once and resumed by the person: the guard row now holds "not paused", sealed and genuine.
    await person.pauseToken({ tokenId: created.token.id });
    await person.resumeToken({ grant: fx.grant, tokenId: created.token.id });
    expect(JSON.stringify((await read(agent, token)).body)).toContain(SECRET);
    const unpaused = guardValue(created.token.id);
    expect(unpaused).toBeDefined();
    await person.pauseToken({ tokenId: created.token.id });

    await daemon.stop();
    guardValue(created.token.id, unpaused);
    await restart();

    const res = await read(agent, token);
    expect([res.status, res.body?.error], res.text).toEqual([403, 'token_paused']);
    expect(res.text).not.toContain(SECRET);
    const rowId = `token_guard:${created.token.id}`;
    const rows = await waitFor(async () => {
      const found = await tamperRows(rowId);
      return found.length > 0 ? found : undefined;
    }, 'the tamper_detected row');
    expect(rows.map((r) => r.detail)).toEqual([{ table: 'settings', rowId }]);
    expect((await person.status({})).tampered?.map((t) => `${t.table}:${t.rowId}`)).toContain(`settings:${rowId}`);
  });
});
