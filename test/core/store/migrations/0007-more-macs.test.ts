/**
 * Migration 0007 (a MAC on the audit retention policy, tokens' `guarded` flag) and its part of the
 * one-time "seal existing rows" step: a database already sealed under schema 6 gets the new MACs
 * at the first unlock, once; a request to do it again after that is reported, not obeyed.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AuditLedger } from '../../../../src/core/audit/audit-ledger.js';
import { readRetentionPolicy } from '../../../../src/core/audit-out/retention-policy.js';
import { SETTING, Settings } from '../../../../src/core/config/settings.js';
import { asSigningSeed } from '../../../../src/core/crypto/types.js';
import { checkedAgentPort } from '../../../../src/core/integrity/agent-port-setting.js';
import { RowSeal } from '../../../../src/core/integrity/row-seal.js';
import { sealExistingRows } from '../../../../src/core/seal-existing-rows.js';
import { openDatabase, schemaVersion, type Database } from '../../../../src/core/store/database.js';

let dir: string;
let db: Database | undefined;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'vk-m0007-'));
});
afterEach(() => {
  if (db?.open) db.close();
  rmSync(dir, { recursive: true, force: true });
});

const columns = (d: Database, table: string): unknown[] => d.prepare('SELECT name FROM pragma_table_info(?)').pluck().all(table);

describe('migration 0007 (more MACs)', () => {
  it('adds the retention MAC and tokens.guarded, and asks for the seal unless the schema 6 request is still waiting', () => {
    const file = join(dir, 'valetkey.db');
    db = openDatabase(file, { targetVersion: 6 });
    db.prepare("DELETE FROM settings WHERE key = 'seal_pending'").run(); // sealed under schema 6
    db.prepare('INSERT INTO audit_retention (id, keep_days, keep_rows, updated_at) VALUES (1, 30, NULL, 5)').run();
    db.close();
    db = openDatabase(file, { targetVersion: 7 });
    expect(schemaVersion(db)).toBe(7);
    expect(columns(db, 'audit_retention')).toContain('mac');
    expect(columns(db, 'tokens')).toContain('guarded');
    expect(db.prepare('SELECT keep_days, keep_rows, mac FROM audit_retention').get()).toEqual({ keep_days: 30, keep_rows: null, mac: null });
    expect(db.prepare("SELECT value FROM settings WHERE key = 'seal_pending'").pluck().get()).toBe('7');
    db.close();

    const waiting = join(dir, 'waiting.db');
    db = openDatabase(waiting, { targetVersion: 6 });
    db.close();
    db = openDatabase(waiting);
    expect(db.prepare("SELECT value FROM settings WHERE key = 'seal_pending'").pluck().get()).toBe('1');
  });

  it('the first unlock seals the retention policy and the agent port once; a later request is reported', async () => {
    db = openDatabase(join(dir, 'valetkey.db'));
    db.prepare('INSERT INTO audit_retention (id, keep_days, keep_rows, updated_at) VALUES (1, 30, NULL, 5)').run();
    const settings = new Settings(db);
    settings.put(SETTING.agentPort, '41234');
    const seal = new RowSeal({ clock: Date.now, audit: () => Promise.resolve() });
    seal.setSeed(asSigningSeed(new Uint8Array(randomBytes(32))));
    const ledger = new AuditLedger(db);
    expect(settings.get(SETTING.sealPending)).toBe('1');
    settings.put(SETTING.sealPending, '7');

    await sealExistingRows({ db, settings, seal, ledger });
    expect(readRetentionPolicy(db, seal)).toEqual({ keepDays: 30, keepRows: null });
    expect(checkedAgentPort(settings, seal)).toBe(true);
    expect(ledger.query({ action: 'integrity.rows_sealed' }).rows.map((r) => r.detail)).toEqual([{ auditRetention: 1, settings: 1, guardedTokens: 0, schema: 7 }]);
    expect(seal.tampered()).toEqual([]);

    // The agent shortens retention and asks for a new seal to have it blessed: neither works.
    db.prepare('UPDATE audit_retention SET keep_days = 1, mac = NULL').run();
    settings.put(SETTING.sealPending, '7');
    await sealExistingRows({ db, settings, seal, ledger });
    expect(readRetentionPolicy(db, seal)).toEqual({ keepDays: null, keepRows: null });
    expect(seal.tampered().map((t) => `${t.table}:${t.rowId}`)).toEqual(['settings:seal_pending', 'audit_retention:1']);
    await ledger.close();
  });

  it('a token that had a tripwire guard before the column existed is marked guarded at that step, only if its row verifies', async () => {
    db = openDatabase(join(dir, 'valetkey.db'));
    const settings = new Settings(db);
    const seal = new RowSeal({ clock: Date.now, audit: () => Promise.resolve() });
    seal.setSeed(asSigningSeed(new Uint8Array(randomBytes(32))));
    const ledger = new AuditLedger(db);
    const insert = db.prepare(`INSERT INTO tokens (id, name, origin, scope, binding, approval, uses, created_at, expires_at, jkt, actors)
      VALUES (?, 'bot', 'app', 'vault:v1:read', 'dpop', '"vault"', 0, 1, ${Date.now() + 3_600_000}, 'jkt-1', '[]')`);
    for (const id of ['tok-guarded', 'tok-forged', 'tok-plain']) insert.run(id);
    for (const id of ['tok-guarded', 'tok-forged']) db.prepare("INSERT INTO settings (key, value) VALUES (?, 'sealed-elsewhere')").run(`token_guard:${id}`);
    await sealExistingRows({ db, settings, seal, ledger }); // schema 6 rows get their MACs, and the guards are adopted
    db.prepare("UPDATE tokens SET guarded = 0, scope = 'vault:v2:read' WHERE id = 'tok-forged'").run();
    settings.put(SETTING.sealPending, '7');
    db.prepare("DELETE FROM audit WHERE action = 'integrity.rows_sealed'").run(); // as if sealed by an older Valetkey
    await sealExistingRows({ db, settings, seal, ledger });
    const guarded = db.prepare('SELECT id, guarded FROM tokens ORDER BY id').all();
    expect(guarded).toEqual([
      { id: 'tok-forged', guarded: 0 },
      { id: 'tok-guarded', guarded: 1 },
      { id: 'tok-plain', guarded: 0 },
    ]);
    expect(seal.tampered().map((t) => `${t.table}:${t.rowId}`)).toEqual(['tokens:tok-forged']);
    await ledger.close();
  });
});
