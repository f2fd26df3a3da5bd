/**
 * docs/security.md attacks 60, 91 and 92: settings that widen or redirect carry a MAC. Resuming
 * paused agents is a grant, so `agents_paused = false` written into the database leaves them
 * paused; a shorter audit retention written there deletes nothing; a moved agent port keeps
 * agents paused until the person has looked.
 */
import BetterSqlite3 from 'better-sqlite3';
import { join } from 'node:path';
import sodium from 'libsodium-wrappers-sumo';
import { afterEach, describe, expect, it } from 'vitest';
import { Engine } from '../../src/core/engine.js';
import { createAdminService } from '../../src/core/admin-handlers.js';
import { PassphraseFileKeyStore } from '../../src/core/keys/passphrase-file-key-store.js';
import { TEST_PASSPHRASE, openTestEngine, type TestEngine } from '../helpers/engine-fixture.js';
import { runAuditRetention } from '../../src/core/audit-out/audit-retention.js';

let t: TestEngine | undefined;
let reopened: Engine | undefined;
afterEach(async () => {
  await reopened?.close();
  await t?.close();
});

function editDb(dir: string, sql: string, ...params: unknown[]): void {
  const db = new BetterSqlite3(join(dir, 'valetkey.db'));
  try {
    db.prepare(sql).run(...params);
  } finally {
    db.close();
  }
}

async function reopen(dir: string): Promise<Engine> {
  const keyStore = new PassphraseFileKeyStore(join(dir, 'keys.vkkey'), { opslimit: sodium.crypto_pwhash_OPSLIMIT_INTERACTIVE, memlimit: sodium.crypto_pwhash_MEMLIMIT_INTERACTIVE });
  const engine = await Engine.open({ dataDir: dir, keyStore });
  await engine.unlock(TEST_PASSPHRASE);
  return engine;
}

async function tamperRows(engine: Engine): Promise<unknown[]> {
  await engine.ledger.flush();
  return engine.ledger.query({ action: 'integrity.tamper_detected' }).rows.map((r) => [r.errorCode, r.detail]);
}

describe('protected settings edited in the database', () => {
  it('attack 60: the agent un-pauses agents in the settings table → still paused after restart; tamper_detected audited once and shown', async () => {
    t = await openTestEngine();
    t.engine.setPaused(true);
    await t.engine.close();
    const db = new BetterSqlite3(join(t.dir, 'valetkey.db'));
    db.prepare("UPDATE settings SET value = 'false' WHERE key = 'agents_paused'").run();
    db.close();

    const keyStore = new PassphraseFileKeyStore(join(t.dir, 'keys.vkkey'), { opslimit: sodium.crypto_pwhash_OPSLIMIT_INTERACTIVE, memlimit: sodium.crypto_pwhash_MEMLIMIT_INTERACTIVE });
    reopened = await Engine.open({ dataDir: t.dir, keyStore });
    await reopened.unlock(TEST_PASSPHRASE);
    expect(reopened.agentsPaused).toBe(true);
    expect(reopened.status().tampered?.map((r) => `${r.table}:${r.rowId}`)).toEqual(['settings:agents_paused']);
    await reopened.ledger.flush();
    expect(reopened.ledger.query({ action: 'integrity.tamper_detected' }).rows.map((r) => [r.errorCode, r.detail])).toEqual([
      ['tamper_detected', { table: 'settings', rowId: 'agents_paused' }],
    ]);
    // The person resumes them: a fresh MAC, and the next start believes it.
    reopened.setPaused(false);
    await reopened.close();
    reopened = await Engine.open({ dataDir: t.dir, keyStore });
    await reopened.unlock(TEST_PASSPHRASE);
    expect(reopened.agentsPaused).toBe(false);
    expect(reopened.status().tampered).toEqual([]);
  });

  it('attack 91: the agent writes a one-row audit retention into the database → retention deletes nothing; tamper_detected audited once and shown', async () => {
    t = await openTestEngine();
    for (let i = 0; i < 5; i += 1) await t.engine.audit({ actor: 'person', action: 'test.evidence', outcome: 'ok' });
    await t.engine.close();
    editDb(t.dir, 'INSERT INTO audit_retention (id, keep_days, keep_rows, updated_at) VALUES (1, NULL, 1, ?)', Date.now());

    reopened = await reopen(t.dir);
    await reopened.ledger.flush();
    const before = reopened.ledger.count();
    const run = await runAuditRetention(reopened, 'engine', 'schedule');
    expect(run.deleted).toBe(0);
    expect(reopened.ledger.count()).toBeGreaterThanOrEqual(before);
    expect(reopened.ledger.query({ action: 'test.evidence' }).rows).toHaveLength(5);
    expect(reopened.status().tampered?.map((r) => `${r.table}:${r.rowId}`)).toEqual(['audit_retention:1']);
    await runAuditRetention(reopened, 'engine', 'schedule');
    expect(await tamperRows(reopened)).toEqual([['tamper_detected', { table: 'audit_retention', rowId: '1' }]]);
    // The person's own policy is signed and acts: the same limit set through the admin API deletes.
    const admin = createAdminService(reopened);
    await admin.dispatch('setAuditRetention', { keepDays: null, keepRows: 2 }, { via: 'in-process', personPresent: true });
    expect((await runAuditRetention(reopened, 'person', 'test')).deleted).toBeGreaterThan(0);
    expect(reopened.ledger.query({ action: 'test.evidence' }).rows.length).toBeLessThan(5);
  });

  it('attack 92: the agent moves the agent port in the settings table → agents stay paused after restart; tamper_detected audited once and shown; the person resumes', async () => {
    t = await openTestEngine();
    const port = t.engine.agentPort;
    await t.engine.close();
    editDb(t.dir, "UPDATE settings SET value = ? WHERE key = 'agent_port'", String(port === 65000 ? 65001 : 65000));

    reopened = await reopen(t.dir);
    expect(reopened.agentsPaused).toBe(true);
    expect(reopened.status().tampered?.map((r) => `${r.table}:${r.rowId}`)).toEqual(['settings:agent_port']);
    expect(await tamperRows(reopened)).toEqual([['tamper_detected', { table: 'settings', rowId: 'agent_port' }]]);
    // Resuming is the person's grant: it signs the port they now run on, and the next start trusts it.
    reopened.setPaused(false);
    await reopened.close();
    reopened = await reopen(t.dir);
    expect(reopened.agentsPaused).toBe(false);
    expect(reopened.status().tampered).toEqual([]);
  });
});
