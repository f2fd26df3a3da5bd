/**
 * docs/security.md attacks 35, 38, 39 and 40: the engine's own state behind the endpoint. A moved
 * ciphertext, a locked engine, paused agents and a full disk each refuse with their code and
 * release nothing. 36 and 37 need the daemon's files and log: attacks-daemon.security.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AgentClient } from '../helpers/agent-client.js';
import { BANK_REF, SECRETS, expectRefusalRow, type Attempt, expectRefused, openAttackFixture, resolveRefs, type AttackFixture } from './attack-fixture.js';

const SQLITE_DEFAULT_MAX_PAGES = 1_073_741_823;

let fx: AttackFixture;
beforeAll(async () => {
  fx = await openAttackFixture();
});
afterAll(async () => {
  await fx.close();
});


describe('storage (38)', () => {
  it('attack 38: a ciphertext copied onto another entry → decryption error, neither value released', async () => {
    const { agent, token, tokenId } = await fx.enrolled();
    // An attacker with the database file moves Bank's sealed fields onto Victim's row.
    fx.t.engine.db.prepare('UPDATE entries SET sealed_fields = (SELECT sealed_fields FROM entries WHERE id = ?) WHERE id = ?').run(fx.bank.id, fx.victim.id);
    const { res, rows } = await fx.attempt(() => resolveRefs(agent, token, ['vk://Accounting/Victim/password']));
    expectRefused(res, 500, 'integrity_error');
    expectRefusalRow(rows, 'integrity_error', tokenId);
    // The original still opens where it was sealed.
    expect((await resolveRefs(agent, token, [BANK_REF])).body.values).toEqual({ [BANK_REF]: SECRETS.bank });
  });
});

describe('lock and pause (39, 40)', () => {
  it('attack 39: a locked engine → 423 vault_locked, nothing decrypted', async () => {
    const { agent, token, tokenId } = await fx.enrolled();
    await fx.t.admin.lock({});
    try {
      for (const send of [() => resolveRefs(agent, token, [BANK_REF]), () => agent.call('GET', '/v1/vaults', { token })]) {
        const { res, rows } = await fx.attempt(send);
        expectRefused(res, 423, 'vault_locked');
        // The token is still checked while locked (the public key stays), so the refusal names it.
        expectRefusalRow(rows, 'vault_locked', tokenId);
      }
      // Nothing was decrypted for anyone: the vault store holds no keys.
      expect(fx.t.engine.vaults.isUnlocked()).toBe(false);
    } finally {
      await fx.t.admin.unlock({ passphrase: fx.t.grant.passphrase });
    }
    expect((await resolveRefs(agent, token, [BANK_REF])).status).toBe(200);
  });

  it('attack 40: paused agents → 403 agents_paused on every route that could give anything', async () => {
    const { agent, token, tokenId } = await fx.enrolled();
    const created = await fx.t.admin.createToken({ grant: fx.t.grant, token: { name: 'late-bot', vaults: [fx.accounting.id], actions: ['read'], lifespanSeconds: 3600 } });
    await fx.t.admin.pauseAgents({});
    try {
      for (const send of [() => resolveRefs(agent, token, [BANK_REF]), () => agent.call('GET', '/v1/vaults', { token })]) {
        const { res, rows } = await fx.attempt(send);
        expectRefused(res, 403, 'agents_paused');
        expectRefusalRow(rows, 'agents_paused', tokenId);
      }
      const newcomer = await AgentClient.create(fx.tcp);
      const enroll = await fx.attempt(() =>
        newcomer.call('POST', '/v1/token', { form: { grant_type: 'urn:valetkey:params:oauth:grant-type:enrollment', enrollment_code: created.enrollmentCode, client_id: 'late-bot' } }),
      );
      expectRefused(enroll.res, 403, 'agents_paused');
      expectRefusalRow(enroll.rows, 'agents_paused');
      const device = await fx.attempt(() => newcomer.call('POST', '/v1/device_authorization', { form: { client_id: 'x', scope: `vault:${fx.accounting.id}:read`, reason: 'r' } }));
      expectRefused(device.res, 403, 'agents_paused');
      expectRefusalRow(device.rows, 'agents_paused');
      expect(fx.t.engine.device.list('pending').filter((r) => r.keyThumbprint === newcomer.jkt)).toEqual([]);
    } finally {
      await fx.t.admin.resumeAgents({ grant: fx.t.grant });
    }
    expect((await resolveRefs(agent, token, [BANK_REF])).status).toBe(200);
  });
});

describe('audit (35)', () => {
  it('attack 35: the audit write fails (disk full) → 503 audit_unavailable, no secret', async () => {
    const { agent, token, tokenId } = await fx.enrolled();
    const reason = `fill the disk ${'r'.repeat(280)}`;
    let released = 0;
    let refused: Attempt | undefined;
    // The database may not grow any more: the agent's own audited reads fill what room is left,
    // until the row for the next read cannot be written, as on a full disk.
    fx.t.engine.db.pragma('max_page_count = 1'); // SQLite clamps this to the current size
    try {
      while (refused === undefined && released < 5000) {
        const step = await fx.attempt(() => resolveRefs(agent, token, [BANK_REF], reason));
        if (step.res.status === 200) released += 1;
        else refused = step;
      }
      if (refused === undefined) throw new Error('the disk never filled up');
      expectRefused(refused.res, 503, 'audit_unavailable');
      // No allowed row, and the refusal's own row could not be written either: the disk is full.
      expect(refused.rows).toEqual([]);
      expectRefused(await resolveRefs(agent, token, [BANK_REF], reason), 503, 'audit_unavailable');
    } finally {
      fx.t.engine.db.pragma(`max_page_count = ${SQLITE_DEFAULT_MAX_PAGES}`);
    }
    // Every value that did leave has its row; with room again, the next read is released after its row.
    const reads = (await fx.t.admin.queryAudit({ tokenId, action: 'secret.read', limit: 500 })).rows;
    expect(reads.filter((r) => r.outcome === 'allowed' && r.reason === reason)).toHaveLength(released);
    const after = await fx.attempt(() => resolveRefs(agent, token, [BANK_REF], 'after the disk was freed'));
    expect(after.res.body.values).toEqual({ [BANK_REF]: SECRETS.bank });
    expect(after.rows.filter((r) => r.action === 'secret.read').map((r) => [r.outcome, r.tokenId, r.reason])).toEqual([['allowed', tokenId, 'after the disk was freed']]);
    expect((await fx.t.admin.verifyAudit({})).ok).toBe(true);
  });
});
