import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, schemaVersion, type Database } from '../../../../src/core/store/database.js';

let dir: string;
let file: string;
let db: Database | undefined;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'vk-m0005-'));
  file = join(dir, 'valetkey.db');
});
afterEach(() => {
  if (db?.open) db.close();
  rmSync(dir, { recursive: true, force: true });
});

const insertEntry = (d: Database, id: string, kind: string) =>
  d.prepare("INSERT INTO entries (id, vault_id, kind, version, sealed_title, sealed_fields, created_at, updated_at) VALUES (?, 'v1', ?, 1, x'01', x'02', 5, 6)").run(id, kind);

describe('migration 0005 (ssh_key entry kind)', () => {
  it('keeps every entry row and the index, and accepts ssh_key only from version 5', () => {
    db = openDatabase(file, { targetVersion: 3 });
    db.prepare("INSERT INTO vaults (id, wrapped_key, sealed_meta, version, created_at, updated_at) VALUES ('v1', x'00', x'00', 1, 0, 0)").run();
    insertEntry(db, 'e1', 'login');
    expect(() => insertEntry(db!, 'e2', 'ssh_key')).toThrow(/CHECK/);
    db.close();
    db = openDatabase(file, { targetVersion: 5 });
    expect(schemaVersion(db)).toBe(5);
    expect(db.prepare('SELECT id, vault_id, kind, version, created_at, updated_at FROM entries').all()).toEqual([{ id: 'e1', vault_id: 'v1', kind: 'login', version: 1, created_at: 5, updated_at: 6 }]);
    insertEntry(db, 'e2', 'ssh_key');
    expect(() => insertEntry(db!, 'e3', 'passkey')).toThrow(/CHECK/);
    expect(db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'entries' AND name NOT LIKE 'sqlite_autoindex%'").pluck().all()).toEqual(['entries_vault']);
    expect(db.prepare("SELECT strict FROM pragma_table_list WHERE name = 'entries'").pluck().get()).toBe(1);
  });
});
