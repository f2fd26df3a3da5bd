/**
 * Migration 0006 (row MACs, signed audit head) and the one-time "seal existing rows" step: rows an
 * older Valetkey wrote get their MACs at the first unlock, and only then (docs/security.md).
 */
import BetterSqlite3 from 'better-sqlite3';
import { join } from 'node:path';
import sodium from 'libsodium-wrappers-sumo';
import { afterEach, describe, expect, it } from 'vitest';
import { Engine } from '../../../../src/core/engine.js';
import { initEngine } from '../../../../src/core/engine-init.js';
import { loadSodium } from '../../../../src/core/crypto/sodium.js';
import { PassphraseFileKeyStore } from '../../../../src/core/keys/passphrase-file-key-store.js';
import { openDatabase, schemaVersion } from '../../../../src/core/store/database.js';
import { tempHome } from '../../../helpers/temp-home.js';

const PASS = 'correct horse battery staple';
const homes: { cleanup(): void }[] = [];
afterEach(() => homes.splice(0).forEach((h) => h.cleanup()));

const keyStore = (dir: string) => () =>
  new PassphraseFileKeyStore(join(dir, 'keys.vkkey'), { opslimit: sodium.crypto_pwhash_OPSLIMIT_INTERACTIVE, memlimit: sodium.crypto_pwhash_MEMLIMIT_INTERACTIVE });

const NOW = Date.now();
const tokenSql = `INSERT INTO tokens (id, name, origin, scope, binding, approval, uses, created_at, expires_at, jkt, actors)
  VALUES (?, 'old-bot', 'app', 'vault:v1:read', 'dpop', '"vault"', 0, ${NOW}, ${NOW + 3_600_000}, 'jkt-1', '[]')`;

/** A data directory as Valetkey at schema 5 left it: a token, an approved device request, an allowed approval. */
async function schema5Home(): Promise<string> {
  await loadSodium();
  const home = tempHome('vk-m0006-');
  homes.push(home);
  await initEngine({ dataDir: home.dir, adminPassphrase: PASS, keyStorage: 'key_file', keyStore: keyStore(home.dir) });
  const db = new BetterSqlite3(join(home.dir, 'valetkey.db'));
  db.exec(`
    ALTER TABLE tokens DROP COLUMN mac; ALTER TABLE device_requests DROP COLUMN mac;
    ALTER TABLE approvals DROP COLUMN mac; ALTER TABLE audit_sinks DROP COLUMN mac;
    ALTER TABLE tokens DROP COLUMN proxy_other_hosts; -- migration 8's, replayed after this one
    DROP TABLE audit_head; PRAGMA user_version = 5;
    ALTER TABLE audit_retention DROP COLUMN mac; ALTER TABLE tokens DROP COLUMN guarded;
    DELETE FROM settings WHERE key = 'agent_port_mac';
    DELETE FROM audit WHERE action = 'integrity.rows_sealed';
    DELETE FROM settings WHERE key = 'agents_paused_mac';`); // set-up's last row, which an older Valetkey never wrote
  db.prepare(tokenSql).run('tok-old');
  db.prepare(`INSERT INTO device_requests (id, device_code_hash, user_code, client_id, jkt, scope, lifespan_seconds, reason, status,
    interval_seconds, created_at, expires_at, decided_at, granted_scope, granted_lifespan_seconds)
    VALUES ('dev-old', 'hash', 'BCDFGHJK', 'old-bot', 'jkt-1', 'vault:v1:read', 3600, 'r', 'approved', 5, ${NOW}, ${NOW + 600_000}, ${NOW}, 'vault:v1:read', 3600)`).run();
  db.prepare(`INSERT INTO approvals (id, token_id, jkt, agent, vault_id, action, status, decision, created_at, expires_at, decided_at, valid_until, setting)
    VALUES ('apr-old', 'tok-old', 'jkt-1', 'old-bot', 'v1', 'read', 'allowed', 'allow_for', ${NOW}, ${NOW + 120_000}, ${NOW}, ${NOW + 3_600_000}, '{"mode":"every_access"}')`).run();
  db.close();
  return home.dir;
}

async function openUnlocked(dir: string): Promise<Engine> {
  const engine = await Engine.open({ dataDir: dir, keyStore: keyStore(dir)() });
  await engine.unlock(PASS);
  return engine;
}

const macs = (dir: string): (string | null)[] => {
  const db = new BetterSqlite3(join(dir, 'valetkey.db'), { readonly: true });
  try {
    return ['tokens', 'device_requests', 'approvals'].map((t) => (db.prepare(`SELECT mac FROM ${t} LIMIT 1`).pluck().get() as string | null) ?? null);
  } finally {
    db.close();
  }
};

describe('migration 0006 (row MACs, audit head)', () => {
  it('adds a mac column to every granting table, the audit_head table, and asks for the one-time seal', async () => {
    const dir = await schema5Home();
    const db = openDatabase(join(dir, 'valetkey.db'), { targetVersion: 6 });
    try {
      expect(schemaVersion(db)).toBe(6);
      for (const t of ['tokens', 'device_requests', 'approvals', 'audit_sinks']) {
        expect(db.prepare('SELECT name FROM pragma_table_info(?)').pluck().all(t)).toContain('mac');
      }
      expect(db.prepare('SELECT name FROM pragma_table_info(?) ORDER BY cid').pluck().all('audit_head')).toEqual(['id', 'seq', 'hash', 'every', 'ts', 'key_id', 'signature']);
      expect(db.prepare("SELECT value FROM settings WHERE key = 'seal_pending'").pluck().get()).toBe('1');
    } finally {
      db.close();
    }
  });

  it('seals rows from before it at the first unlock, audits that once, and the rows then grant as before', async () => {
    const dir = await schema5Home();
    const engine = await Engine.open({ dataDir: dir, keyStore: keyStore(dir)() });
    expect(macs(dir)).toEqual([null, null, null]); // locked: no key, nothing sealed yet
    await engine.unlock(PASS);
    expect(macs(dir).every((m) => typeof m === 'string' && m.length === 64)).toBe(true);
    expect(engine.tokens.record('tok-old')?.name).toBe('old-bot');
    expect(engine.status().tampered).toEqual([]);
    const sealed = engine.ledger.query({ action: 'integrity.rows_sealed' }).rows;
    // Settings: the pause and (since migration 7) the agent port; the step covers schema 7 too.
    expect(sealed.map((r) => r.detail)).toEqual([{ tokens: 1, deviceRequests: 1, approvals: 1, auditSinks: 0, settings: 2, auditRetention: 0, guardedTokens: 0, schema: 7 }]);
    expect(engine.settings.get('seal_pending')).toBeUndefined();
    await engine.close();
    // A second start seals nothing more.
    const again = await openUnlocked(dir);
    expect(again.ledger.query({ action: 'integrity.rows_sealed' }).rows).toHaveLength(1);
    await again.close();
  });

  it('a seal request written after the seal blesses nothing: the forged row and the flag are reported', async () => {
    const dir = await schema5Home();
    await (await openUnlocked(dir)).close();
    const db = new BetterSqlite3(join(dir, 'valetkey.db'));
    db.prepare(tokenSql).run('tok-forged');
    db.prepare("INSERT INTO settings (key, value) VALUES ('seal_pending', '1')").run();
    db.close();
    const engine = await openUnlocked(dir);
    expect(() => engine.tokens.record('tok-forged')).toThrow(expect.objectContaining({ code: 'tamper_detected' }));
    expect(engine.status().tampered?.map((t) => `${t.table}:${t.rowId}`).sort()).toEqual(['settings:seal_pending', 'tokens:tok-forged']);
    expect(engine.ledger.query({ action: 'integrity.rows_sealed' }).rows).toHaveLength(1);
    await engine.close();
  });
});
