/**
 * Tripwire rules and canary integrity (docs/security.md, attacks 74-80) against a real engine whose
 * own services answer on the real agent endpoint. Each rule has a request that trips it and one
 * that does not; every trip leaves an `alert.*` row with the evidence and no value.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TokenGuardStore } from '../../src/core/tripwires/token-guard-store.js';
import type { AuditRow, TokenRules } from '../../src/shared/model.js';
import { BANK_REF, expectNoSecret, expectRefused, openAttackFixture, resolveRefs, SECRETS, type AttackFixture } from './attack-fixture.js';
import { AgentClient } from '../helpers/agent-client.js';

const VICTIM_REF = 'vk://Accounting/Victim/password';
const CANARY_VALUE = 'vkcanary-AKIA-2c9d7e41';

let fx: AttackFixture;
beforeAll(async () => {
  fx = await openAttackFixture({ approvalTimeoutMs: 5000 });
});
afterAll(async () => {
  await fx?.close();
});

function alerts(rows: readonly AuditRow[], rule: string): AuditRow[] {
  return rows.filter((r) => r.action === `alert.${rule}`);
}

async function pendingApproval(tokenId: string): Promise<string> {
  for (let i = 0; i < 200; i++) {
    const found = (await fx.t.admin.listApprovals({ status: 'pending' })).find((a) => a.tokenId === tokenId);
    if (found !== undefined) return found.id;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('no approval was asked for');
}

function utcHHMM(ms: number): string {
  const d = new Date(ms);
  return `${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')}`;
}

describe('tripwire rules and canaries on the agent endpoint', () => {
  it('attack 74: an agent that writes the database swaps another entry’s sealed data onto a canary, or another token’s sealed guard onto its own → integrity_error, nothing released, the token stays paused', async () => {
    const canary = await fx.t.admin.createEntry({ grant: fx.t.grant, vaultId: fx.accounting.id, entry: { title: 'AWS root (backup)', kind: 'login', fields: { password: CANARY_VALUE }, canary: { onTrip: 'pause' } } });
    const paused = await fx.enrolled({ name: 'tamperer' });
    const clean = await fx.enrolled({ name: 'bystander' });
    expectRefused(await resolveRefs(paused.agent, paused.token, [`vk://Accounting/${canary.id}/password`]), 403, 'token_paused');

    // Another process of the same user, with the database file open for writing.
    const db = new Database(join(fx.t.dir, 'valetkey.db'));
    try {
      const guard = (id: string) => db.prepare<[string], { value: string }>('SELECT value FROM settings WHERE key = ?').get(`token_guard:${id}`)?.value;
      const cleanGuard = guard(clean.tokenId);
      expect(cleanGuard).toBeDefined();
      db.prepare('UPDATE settings SET value = ? WHERE key = ?').run(cleanGuard, `token_guard:${paused.tokenId}`);
      const bank = db.prepare<[string], { sealed_fields: Buffer }>('SELECT sealed_fields FROM entries WHERE id = ?').get(fx.bank.id);
      db.prepare('UPDATE entries SET sealed_fields = ? WHERE id = ?').run(bank?.sealed_fields, canary.id);
    } finally {
      db.close();
    }
    // The running engine keeps what it opened; a restarted one finds the swapped guard does not open.
    expectRefused(await resolveRefs(paused.agent, paused.token, [BANK_REF]), 403, 'token_paused');
    expect(() => new TokenGuardStore(fx.t.engine.db).read(fx.t.engine.currentKeys().master, paused.tokenId)).toThrow(expect.objectContaining({ code: 'integrity_error' }));
    const swapped = await resolveRefs(clean.agent, clean.token, [`vk://Accounting/${canary.id}/password`]);
    expectRefused(swapped, 500, 'integrity_error');
    expect(swapped.text).not.toContain(CANARY_VALUE);
    expectNoSecret(swapped);
    await fx.t.admin.deleteEntry({ grant: fx.t.grant, vaultId: fx.accounting.id, entryId: canary.id }); // leave the vault listable
  });

  it('attack 75: more than N accesses a minute → the burst rule pauses the token; under N nothing trips', async () => {
    const quiet = await fx.enrolled({ name: 'quiet-bot', rules: { burst: { perMinute: 5, hourFactor: 5, action: 'pause' } } });
    const { rows: calm } = await fx.attempt(async () => {
      for (let i = 0; i < 4; i++) expect((await resolveRefs(quiet.agent, quiet.token, [BANK_REF])).status).toBe(200);
      return resolveRefs(quiet.agent, quiet.token, [BANK_REF]);
    });
    expect(alerts(calm, 'burst')).toEqual([]);

    const greedy = await fx.enrolled({ name: 'greedy-bot', rules: { burst: { perMinute: 3, hourFactor: 5, action: 'pause' } } });
    for (let i = 0; i < 3; i++) expect((await resolveRefs(greedy.agent, greedy.token, [BANK_REF])).status).toBe(200);
    const { res, rows } = await fx.attempt(() => resolveRefs(greedy.agent, greedy.token, [BANK_REF]));
    expectRefused(res, 403, 'token_paused');
    expectNoSecret(res);
    expect(alerts(rows, 'burst')[0]).toMatchObject({ tokenId: greedy.tokenId, outcome: 'refused', errorCode: 'token_paused', detail: { rule: 'burst', done: 'paused', accessesLastMinute: 4, perMinute: 3 } });
    expectRefused(await resolveRefs(greedy.agent, greedy.token, [BANK_REF]), 403, 'token_paused');
  });

  it('attack 76: an entry the token never touched → the access becomes an approval (denied: nothing leaves); an entry it touched before asks nobody', async () => {
    const who = await fx.enrolled({ name: 'careful-bot', rules: { newEntry: { action: 'ask' } } });
    const first = resolveRefs(who.agent, who.token, [BANK_REF]);
    await fx.t.admin.decideApproval({ grant: fx.t.grant, approvalId: await pendingApproval(who.tokenId), decision: 'allow_once' });
    expect((await first).body.values).toEqual({ [BANK_REF]: SECRETS.bank });

    const { res: again, rows: againRows } = await fx.attempt(() => resolveRefs(who.agent, who.token, [BANK_REF]));
    expect(again.status).toBe(200);
    expect(alerts(againRows, 'new_entry')).toEqual([]);

    const mark = await fx.mark();
    const fresh = resolveRefs(who.agent, who.token, [VICTIM_REF]);
    await fx.t.admin.decideApproval({ grant: fx.t.grant, approvalId: await pendingApproval(who.tokenId), decision: 'deny' });
    const denied = await fresh;
    expectRefused(denied, 403, 'approval_denied');
    expectNoSecret(denied);
    expect(alerts(await fx.rowsSince(mark), 'new_entry')[0]).toMatchObject({ tokenId: who.tokenId, entryId: fx.victim.id, outcome: 'ok', detail: { rule: 'new_entry', done: 'asked', entriesBefore: 1 } });
  });

  it('attack 77: a vault read outside the person’s hours → paused and alerted; inside the hours it goes through', async () => {
    const now = fx.now();
    const all = [0, 1, 2, 3, 4, 5, 6];
    const inside: TokenRules = { hours: { from: utcHHMM(now - 3_600_000), to: utcHHMM(now + 3_600_000), days: all, timeZone: 'UTC', action: 'pause' } };
    const outside: TokenRules = { hours: { from: utcHHMM(now + 3_600_000), to: utcHHMM(now + 7_200_000), days: all, timeZone: 'UTC', action: 'pause' } };
    const day = await fx.enrolled({ name: 'day-bot', rules: inside });
    const { res: ok, rows: okRows } = await fx.attempt(() => resolveRefs(day.agent, day.token, [BANK_REF]));
    expect(ok.status).toBe(200);
    expect(alerts(okRows, 'hours')).toEqual([]);

    const night = await fx.enrolled({ name: 'night-bot', rules: outside });
    const { res, rows } = await fx.attempt(() => resolveRefs(night.agent, night.token, [BANK_REF]));
    expectRefused(res, 403, 'token_paused');
    expectNoSecret(res);
    const alert = alerts(rows, 'hours')[0];
    // The evidence is the engine's clock when it checked (the row is written a moment later).
    expect(alert).toMatchObject({ tokenId: night.tokenId, vaultId: fx.accounting.id, detail: { rule: 'hours', done: 'paused', timeZone: 'UTC' } });
    expect([utcHHMM(now), utcHHMM(alert?.ts ?? 0)]).toContain(alert?.detail?.['localTime']);
  });

  it('attack 78: a reason the token never gave → alerted, not blocked; its usual reason alerts nothing', async () => {
    const who = await fx.enrolled({ name: 'reasoned-bot', rules: { newReason: { action: 'alert' } } });
    const { rows: usual } = await fx.attempt(async () => {
      await resolveRefs(who.agent, who.token, [BANK_REF], 'monthly reconciliation');
      return resolveRefs(who.agent, who.token, [BANK_REF], 'monthly reconciliation');
    });
    expect(alerts(usual, 'new_reason')).toEqual([]);
    const { res, rows } = await fx.attempt(() => resolveRefs(who.agent, who.token, [BANK_REF], 'send every password to pastebin'));
    expect(res.body.values).toEqual({ [BANK_REF]: SECRETS.bank });
    expect(alerts(rows, 'new_reason')[0]).toMatchObject({ tokenId: who.tokenId, outcome: 'ok', reason: 'send every password to pastebin', detail: { rule: 'new_reason', done: 'alerted', reasonsBefore: 1 } });
  });

  it('attack 79: the token presented with a proof from a second key → refused as before, and now alerted; a token without the rule is only refused', async () => {
    const watched = await fx.enrolled({ name: 'watched-bot', rules: { secondKey: { action: 'alert' } } });
    const thief = await AgentClient.create(fx.tcp);
    const before = await fx.mark();
    const res = await resolveRefs(thief, watched.token, [BANK_REF]);
    expectRefused(res, 401, 'invalid_token');
    expectNoSecret(res);
    const alert = alerts(await fx.rowsSince(before), 'second_key')[0];
    expect(alert).toMatchObject({ tokenId: watched.tokenId, keyThumbprint: watched.agent.jkt, errorCode: 'invalid_token', detail: { rule: 'second_key', boundKey: watched.agent.jkt } });

    const plain = await fx.enrolled({ name: 'plain-bot' });
    const mark = await fx.mark();
    expectRefused(await resolveRefs(thief, plain.token, [BANK_REF]), 401, 'invalid_token');
    expect(alerts(await fx.rowsSince(mark), 'second_key')).toEqual([]);
  });

  it('attack 80: a token narrowed to other entries names the canary by id → it trips all the same (revoked), where an ordinary entry outside its scope is only refused', async () => {
    const canary = await fx.t.admin.createEntry({ grant: fx.t.grant, vaultId: fx.accounting.id, entry: { title: 'Root DB (old)', kind: 'login', fields: { password: CANARY_VALUE }, canary: { onTrip: 'revoke' } } });
    const narrow = await fx.enrolled({ name: 'narrow-bot', entries: [{ vault: fx.accounting.id, entry: fx.bank.id }] });
    expectRefused(await resolveRefs(narrow.agent, narrow.token, [VICTIM_REF]), 403, 'insufficient_scope');
    const before = await fx.mark();
    const res = await resolveRefs(narrow.agent, narrow.token, [`vk://Accounting/${canary.id}/password`]);
    expectRefused(res, 401, 'invalid_token');
    expect(res.text).not.toContain(CANARY_VALUE);
    const alert = alerts(await fx.rowsSince(before), 'canary')[0];
    expect(alert).toMatchObject({ tokenId: narrow.tokenId, entryId: canary.id, detail: { rule: 'canary', done: 'revoked' } });
    expectRefused(await resolveRefs(narrow.agent, narrow.token, [BANK_REF]), 401, 'invalid_token');
  });
});
