/**
 * docs/security.md attacks 93 and 96 against a real daemon process (keychain mode): a token's
 * tripwire guard (its rules and its pause) is a sealed row the agent cannot change, but could delete
 * or put back from before a pause. The token's own MAC'd row says it has one (`guarded`), and the
 * audit log says when it was last paused, so neither frees the token.
 */
import BetterSqlite3 from 'better-sqlite3';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AgentClient, type AgentResponse } from '../helpers/agent-client.js';
import { PROCESS_SETUP_TIMEOUT_MS, runCli } from '../helpers/cli.js';
import { keychainAvailability } from '../helpers/temp-home.js';
import { expectTamperShownOnce, openOpsDaemon, type OpsDaemon } from './ops-daemon-fixture.js';

const keychain = keychainAvailability();
const SECRET = 'vksec-GUARD-ops-8c1e5d0a73';
const ENROLLMENT_GRANT = 'urn:valetkey:params:oauth:grant-type:enrollment';

describe.skipIf(keychain.skip)(`attacks: a token's tripwire guard deleted or put back ${keychain.reason}`, () => {
  let d: OpsDaemon;

  beforeAll(async () => {
    d = await openOpsDaemon(SECRET);
  }, PROCESS_SETUP_TIMEOUT_MS);
  afterAll(async () => {
    await d?.close();
  });

  const read = (agent: AgentClient, token: string): Promise<AgentResponse> =>
    agent.call('POST', '/v1/resolve', { token, json: { refs: ['vk://Ops/Deploy/api_key'], reason: 'guard suite' } });

  async function enroll(name: string): Promise<{ agent: AgentClient; token: string; tokenId: string }> {
    const created = await d.person.createToken({ grant: d.fx.grant, token: { name, vaults: [d.ops.id], actions: ['read'], lifespanSeconds: 3600 } });
    const agent = await AgentClient.create(d.fx.tcp);
    const res = await agent.call('POST', '/v1/token', { form: { grant_type: ENROLLMENT_GRANT, enrollment_code: created.enrollmentCode, client_id: name } });
    expect(res.status, res.text).toBe(200);
    return { agent, token: res.body.access_token as string, tokenId: created.token.id };
  }

  /** The agent's edits of the stopped engine's settings table: read, overwrite or delete the guard. */
  function guardRow(tokenId: string, change?: { readonly value: string } | 'delete'): string | undefined {
    const db = new BetterSqlite3(join(d.fx.home, 'valetkey.db'));
    try {
      const key = `token_guard:${tokenId}`;
      if (change === 'delete') db.prepare('DELETE FROM settings WHERE key = ?').run(key);
      else if (change !== undefined) db.prepare('UPDATE settings SET value = ? WHERE key = ?').run(change.value, key);
      return db.prepare<[string], string>('SELECT value FROM settings WHERE key = ?').pluck().get(key);
    } finally {
      db.close();
    }
  }

  it('attack 93: the agent deletes its paused token’s guard row → after a restart the token is refused (tamper_detected), not resumed; audited once and shown', async () => {
    const t = await enroll('guarded-bot');
    expect(JSON.stringify((await read(t.agent, t.token)).body)).toContain(SECRET);
    await d.person.pauseToken({ tokenId: t.tokenId });
    expect((await read(t.agent, t.token)).body?.error).toBe('token_paused');

    await d.daemon.stop();
    expect(guardRow(t.tokenId)).toBeDefined();
    expect(guardRow(t.tokenId, 'delete')).toBeUndefined();
    await d.restart();

    for (let i = 0; i < 2; i += 1) {
      const res = await read(t.agent, t.token);
      expect([res.status, res.body?.error], res.text).toEqual([403, 'tamper_detected']);
      expect(res.text).not.toContain(SECRET);
    }
    await expectTamperShownOnce(d.person, 'settings', `token_guard:${t.tokenId}`);
    expect((await runCli(d.fx.home, ['status'])).stdout).toContain(`token_guard:${t.tokenId}`);
    // A token that never had a guard is not affected by the new check.
    const plain = await enroll('plain-bot');
    expect(JSON.stringify((await read(plain.agent, plain.token)).body)).toContain(SECRET);
  });

  it('attack 96: the agent saves its token’s guard while unpaused and writes it back after the token was paused → after a restart the token stays paused (token_paused); tamper_detected audited once and shown', async () => {
    const t = await enroll('replay-bot');
    // Paused once and resumed by the person: the guard row now holds "not paused", sealed and genuine.
    await d.person.pauseToken({ tokenId: t.tokenId });
    await d.person.resumeToken({ grant: d.fx.grant, tokenId: t.tokenId });
    expect(JSON.stringify((await read(t.agent, t.token)).body)).toContain(SECRET);
    const unpaused = guardRow(t.tokenId);
    if (unpaused === undefined) throw new Error('no guard row after a pause');
    await d.person.pauseToken({ tokenId: t.tokenId });

    await d.daemon.stop();
    guardRow(t.tokenId, { value: unpaused });
    await d.restart();

    const res = await read(t.agent, t.token);
    expect([res.status, res.body?.error], res.text).toEqual([403, 'token_paused']);
    expect(res.text).not.toContain(SECRET);
    await expectTamperShownOnce(d.person, 'settings', `token_guard:${t.tokenId}`);
  });
});
