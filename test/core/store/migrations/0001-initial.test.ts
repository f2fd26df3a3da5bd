import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, schemaVersion, type Database } from '../../../../src/core/store/database.js';

let dir: string;
let file: string;
let db: Database | undefined;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'vk-m0001-'));
  file = join(dir, 'valetkey.db');
});
afterEach(() => {
  if (db?.open) db.close();
  rmSync(dir, { recursive: true, force: true });
});

const columns = (name: string): string[] => db!.prepare(`SELECT name FROM pragma_table_info(?) ORDER BY cid`).pluck().all(name) as string[];
const indexes = (): string[] => db!.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND name NOT LIKE 'sqlite_%' ORDER BY name").pluck().all() as string[];
const schemaSql = (): string[] => db!.prepare('SELECT sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY name').pluck().all() as string[];

describe('migration 0001 (initial)', () => {
  beforeEach(() => {
    db = openDatabase(file, { targetVersion: 1 });
  });

  it('reaches version 1 with the expected strict tables and columns', () => {
    expect(schemaVersion(db!)).toBe(1);
    expect(columns('settings')).toEqual(['key', 'value']);
    expect(columns('vaults')).toEqual(['id', 'wrapped_key', 'sealed_meta', 'version', 'created_at', 'updated_at']);
    expect(columns('entries')).toEqual(['id', 'vault_id', 'kind', 'version', 'sealed_title', 'sealed_fields', 'created_at', 'updated_at']);
    expect(columns('audit')).toEqual([
      'seq', 'ts', 'actor', 'agent', 'token_id', 'key_thumbprint', 'action', 'vault_id', 'entry_id',
      'field', 'reason', 'outcome', 'error_code', 'approval_id', 'detail', 'hash',
    ]);
    expect(columns('audit_checkpoints')).toEqual(['seq', 'hash', 'ts', 'key_id', 'signature']);
    const strict = db!.prepare("SELECT name FROM pragma_table_list WHERE strict = 1 AND schema = 'main' ORDER BY name").pluck().all();
    expect(strict).toEqual(['audit', 'audit_checkpoints', 'entries', 'settings', 'vaults']);
  });

  it('creates the indexes', () => {
    expect(indexes()).toEqual(['audit_action', 'audit_agent', 'audit_outcome', 'audit_token', 'audit_ts', 'audit_vault', 'entries_vault']);
  });

  it('cascades entry deletion from vaults and checks the entry kind', () => {
    const fk = db!.prepare("SELECT \"table\", \"from\", \"to\", on_delete FROM pragma_foreign_key_list('entries')").all();
    expect(fk).toEqual([{ table: 'vaults', from: 'vault_id', to: 'id', on_delete: 'CASCADE' }]);
    const blob = Buffer.from([1]);
    db!.prepare('INSERT INTO vaults VALUES (?, ?, ?, 1, 0, 0)').run('v', blob, blob);
    const insert = db!.prepare('INSERT INTO entries VALUES (?, ?, ?, 1, ?, ?, 0, 0)');
    insert.run('e', 'v', 'login', blob, blob);
    expect(() => insert.run('e2', 'v', 'card', blob, blob)).toThrow(/CHECK/);
    expect(() => insert.run('e3', 'nope', 'login', blob, blob)).toThrow(/FOREIGN KEY/);
    expect(() => insert.run('e4', 'v', 'login', 'text', blob)).toThrow(/cannot store TEXT/);
    db!.prepare('DELETE FROM vaults WHERE id = ?').run('v');
    expect(db!.prepare('SELECT count(*) FROM entries').pluck().get()).toBe(0);
  });

  it('is idempotent on reopen: same schema, data kept', () => {
    const before = schemaSql();
    db!.prepare('INSERT INTO settings VALUES (?, ?)').run('k', 'v');
    db!.close();
    db = openDatabase(file, { targetVersion: 1 });
    expect(schemaVersion(db)).toBe(1);
    expect(schemaSql()).toEqual(before);
    expect(db.prepare('SELECT value FROM settings WHERE key = ?').pluck().get('k')).toBe('v');
  });
});
