import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, schemaVersion, type Database } from '../../../../src/core/store/database.js';

let dir: string;
let file: string;
let db: Database | undefined;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'vk-m0002-'));
  file = join(dir, 'valetkey.db');
});
afterEach(() => {
  if (db?.open) db.close();
  rmSync(dir, { recursive: true, force: true });
});

const columns = (name: string): string[] => db!.prepare('SELECT name FROM pragma_table_info(?) ORDER BY cid').pluck().all(name) as string[];

describe('migration 0002 (agent access)', () => {
  it('upgrades a version-1 database with data in it, keeping the data', () => {
    db = openDatabase(file, { targetVersion: 1 });
    db.prepare("INSERT INTO settings (key, value) VALUES ('install_id', 'abc')").run();
    db.close();
    db = openDatabase(file, { targetVersion: 2 });
    expect(schemaVersion(db)).toBe(2);
    expect(db.prepare("SELECT value FROM settings WHERE key = 'install_id'").pluck().get()).toBe('abc');
  });

  it('creates tokens, device_requests and approvals with the columns the services use', () => {
    db = openDatabase(file, { targetVersion: 2 });
    expect(columns('tokens')).toEqual(expect.arrayContaining(['id', 'name', 'scope', 'binding', 'enrollment_hash', 'jkt', 'parent_id', 'revoked_at', 'expires_at']));
    expect(columns('device_requests')).toEqual(expect.arrayContaining(['device_code_hash', 'user_code', 'jkt', 'status', 'granted_scope', 'granted_lifespan_seconds']));
    expect(columns('approvals')).toEqual(expect.arrayContaining(['token_id', 'jkt', 'vault_id', 'entry_id', 'action', 'status', 'valid_until', 'setting']));
    const indexes = db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND name NOT LIKE 'sqlite_%'").pluck().all();
    expect(indexes).toEqual(expect.arrayContaining(['tokens_parent', 'device_requests_status', 'approvals_token', 'audit_actor']));
  });

  it('enforces its CHECK constraints and the unique enrollment hash', () => {
    db = openDatabase(file, { targetVersion: 2 });
    const insert = db.prepare(
      "INSERT INTO tokens (id, name, origin, scope, binding, approval, created_at, expires_at, enrollment_hash) VALUES (?, 'a', ?, 's', ?, '\"vault\"', 0, 1, ?)",
    );
    insert.run('t1', 'app', 'dpop', 'h1');
    expect(() => insert.run('t2', 'app', 'dpop', 'h1')).toThrow(/UNIQUE/);
    expect(() => insert.run('t3', 'elsewhere', 'dpop', 'h3')).toThrow(/CHECK/);
    expect(() => insert.run('t4', 'app', 'cookie', 'h4')).toThrow(/CHECK/);
  });
});
