/** The admin API as the engine implements it, in process: classes of methods, grant sessions, auditing. */
import { afterEach, describe, expect, it } from 'vitest';
import { ADMIN_METHODS } from '../../../src/shared/admin-api.js';
import { openTestEngine, TEST_PASSPHRASE, type TestEngine } from '../../helpers/engine-fixture.js';

let t: TestEngine | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

async function rejection(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'fulfilled';
  } catch (e) {
    return (e as { code?: string }).code ?? String(e);
  }
}

describe('AdminService', () => {
  it('refuses every grant method without proof, before doing anything', async () => {
    t = await openTestEngine();
    const grants = Object.entries(ADMIN_METHODS).filter(([m, c]) => c === 'grant' && !['unlock', 'openGrantSession', 'changeAdminPassphrase'].includes(m));
    for (const [method] of grants) {
      const code = await rejection(t.service.dispatch(method, {}, { via: 'socket', personPresent: false }));
      expect(code, method).toBe('grant_required');
    }
    const refused = t.engine.ledger.query({ action: 'admin.grant_refused', limit: 500 }).rows;
    expect(refused.length).toBe(grants.length);
    expect(refused.every((r) => r.outcome === 'refused' && r.errorCode === 'grant_required')).toBe(true);
  });

  it('lets a person present (the app window) grant without a passphrase', async () => {
    t = await openTestEngine();
    const vault = await t.service.dispatch('createVault', { vault: { name: 'Clicked' } }, { via: 'ipc', personPresent: true });
    expect(vault).toMatchObject({ name: 'Clicked' });
  });

  it('grant sessions last at most 15 minutes and end on lock', async () => {
    let now = Date.parse('2026-11-22T10:00:00Z');
    t = await openTestEngine({ clock: () => now });
    expect(await rejection(t.admin.openGrantSession({ passphrase: TEST_PASSPHRASE, minutes: 16 }))).toBe('invalid_request');
    const { session } = await t.admin.openGrantSession({ passphrase: TEST_PASSPHRASE, minutes: 15 });
    await t.admin.createVault({ grant: { session }, vault: { name: 'A' } });
    now += 15 * 60_000 + 1;
    expect(await rejection(t.admin.createVault({ grant: { session }, vault: { name: 'B' } }))).toBe('grant_required');

    const second = await t.admin.openGrantSession({ passphrase: TEST_PASSPHRASE, minutes: 5 });
    await t.admin.lock({});
    await t.admin.unlock({ passphrase: TEST_PASSPHRASE });
    expect(await rejection(t.admin.createVault({ grant: { session: second.session }, vault: { name: 'C' } }))).toBe('grant_required');
  });

  it('rate-limits wrong passphrases', async () => {
    t = await openTestEngine();
    const codes: string[] = [];
    for (let i = 0; i < 7; i++) codes.push(await rejection(t.admin.createVault({ grant: { passphrase: `guess number ${i}` }, vault: { name: 'x' } })));
    expect(codes.slice(0, 5)).toEqual(Array(5).fill('passphrase_invalid'));
    expect(codes.slice(5)).toEqual(['rate_limited', 'rate_limited']);
  });

  it('treats a hand-edited admin passphrase verifier as tampering, not as a new passphrase', async () => {
    t = await openTestEngine();
    const { hashAdminPassphrase } = await import('../../../src/core/keys/admin-passphrase.js');
    t.engine.db.prepare("UPDATE settings SET value = ? WHERE key = 'admin_passphrase'").run(hashAdminPassphrase('attacker chosen passphrase'));
    expect(await rejection(t.admin.createVault({ grant: { passphrase: 'attacker chosen passphrase' }, vault: { name: 'x' } }))).toBe('tamper_detected');
    expect(t.engine.status().tampered?.map((r) => `${r.table}:${r.rowId}`)).toEqual(['settings:admin_passphrase']);
  });

  it('changes the admin passphrase (re-sealing the key file) and closes grant sessions', async () => {
    t = await openTestEngine();
    const { session } = await t.admin.openGrantSession({ passphrase: TEST_PASSPHRASE });
    await t.admin.changeAdminPassphrase({ current: TEST_PASSPHRASE, next: 'a brand new passphrase' });
    expect(await rejection(t.admin.createVault({ grant: { session }, vault: { name: 'x' } }))).toBe('grant_required');
    await t.admin.lock({});
    expect(await rejection(t.admin.unlock({ passphrase: TEST_PASSPHRASE }))).toBe('passphrase_invalid');
    await t.admin.unlock({ passphrase: 'a brand new passphrase' });
    expect((await t.admin.status({})).locked).toBe(false);
  });

  it('audits a person’s changes without secret values', async () => {
    t = await openTestEngine();
    const vault = await t.admin.createVault({ grant: t.grant, vault: { name: 'Ops' } });
    const entry = await t.admin.createEntry({ grant: t.grant, vaultId: vault.id, entry: { title: 'DB', kind: 'api_key', fields: { apiKey: 'sk-audit-me-not-4471' } } });
    await t.admin.getEntry({ grant: t.grant, vaultId: vault.id, entryId: entry.id, reason: 'rotate' });
    await t.admin.updateVault({ grant: t.grant, vaultId: vault.id, changes: { approval: { mode: 'every_access' } } });
    const rows = t.engine.ledger.query({ limit: 50 }).rows;
    expect(rows.map((r) => r.action)).toEqual(expect.arrayContaining(['vault.create', 'entry.create', 'entry.reveal', 'vault.update']));
    expect(JSON.stringify(rows)).not.toContain('sk-audit-me-not-4471');
    const update = rows.find((r) => r.action === 'vault.update');
    expect(update?.detail).toMatchObject({ approvalFrom: 'none', approvalTo: 'every_access' });
  });
});
