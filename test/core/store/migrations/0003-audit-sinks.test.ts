import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, schemaVersion, type Database } from '../../../../src/core/store/database.js';

let dir: string;
let file: string;
let db: Database | undefined;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'vk-m0003-'));
  file = join(dir, 'valetkey.db');
});
afterEach(() => {
  if (db?.open) db.close();
  rmSync(dir, { recursive: true, force: true });
});

const columns = (name: string): string[] => db!.prepare('SELECT name FROM pragma_table_info(?) ORDER BY cid').pluck().all(name) as string[];
const tables = (): string[] => db!.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all() as string[];

describe('migration 0003 (audit sinks, retention, anchor)', () => {
  it('is not there at version 2, and version 3 adds exactly its four strict tables', () => {
    db = openDatabase(file, { targetVersion: 2 });
    const before = tables();
    expect(before).not.toContain('audit_sinks');
    db.close();
    db = openDatabase(file, { targetVersion: 3 });
    expect(schemaVersion(db)).toBe(3);
    expect(tables().filter((t) => !before.includes(t))).toEqual(['audit_anchor', 'audit_archives', 'audit_retention', 'audit_sinks']);
    const strict = db.prepare("SELECT name FROM pragma_table_list WHERE strict = 1 AND schema = 'main' AND name GLOB 'audit*' ORDER BY name").pluck().all();
    expect(strict).toEqual(['audit', 'audit_anchor', 'audit_archives', 'audit_checkpoints', 'audit_retention', 'audit_sinks']);
  });

  it('has the documented columns', () => {
    db = openDatabase(file, { targetVersion: 3 });
    expect(columns('audit_sinks')).toEqual([
      'id', 'name', 'kind', 'config', 'sealed_credential', 'enabled', 'cursor_seq', 'created_at', 'updated_at', 'last_delivered_at', 'last_error', 'last_error_at',
    ]);
    expect(columns('audit_retention')).toEqual(['id', 'keep_days', 'keep_rows', 'updated_at']);
    expect(columns('audit_archives')).toEqual(['id', 'file', 'from_seq', 'to_seq', 'prev_hash', 'last_hash', 'sha256', 'created_at']);
    expect(columns('audit_anchor')).toEqual(['id', 'seq', 'hash', 'ts', 'key_id', 'signature', 'archive_id']);
  });

  it('checks kinds, unique names (any case), one policy row and one anchor row', () => {
    db = openDatabase(file, { targetVersion: 3 });
    const sink = db.prepare("INSERT INTO audit_sinks (id, name, kind, config, enabled, cursor_seq, created_at, updated_at) VALUES (?, ?, ?, '{}', 1, 0, 0, 0)");
    sink.run('a', 'Splunk', 'splunk_hec');
    expect(() => sink.run('b', 'splunk', 'webhook')).toThrow(/UNIQUE/);
    expect(() => sink.run('c', 'Other', 'kafka')).toThrow(/CHECK/);
    expect(() => db!.prepare("UPDATE audit_sinks SET enabled = 2 WHERE id = 'a'").run()).toThrow(/CHECK/);
    db.prepare('INSERT INTO audit_retention (id, keep_days, keep_rows, updated_at) VALUES (1, 30, NULL, 0)').run();
    expect(() => db!.prepare('INSERT INTO audit_retention (id, keep_days, keep_rows, updated_at) VALUES (2, 30, NULL, 0)').run()).toThrow(/CHECK/);
    expect(() => db!.prepare('UPDATE audit_retention SET keep_rows = 0').run()).toThrow(/CHECK/);
    const anchor = db.prepare('INSERT INTO audit_anchor (id, seq, hash, ts, key_id, signature) VALUES (?, 5, ?, 0, ?, ?)');
    anchor.run(1, Buffer.alloc(32), 'k', Buffer.alloc(64));
    expect(() => anchor.run(2, Buffer.alloc(32), 'k', Buffer.alloc(64))).toThrow(/CHECK/);
    expect(() => db!.prepare('UPDATE audit_anchor SET archive_id = 99').run()).toThrow(/FOREIGN KEY/);
  });

  it('keeps data on reopen', () => {
    db = openDatabase(file);
    db.prepare('INSERT INTO audit_retention (id, keep_days, keep_rows, updated_at) VALUES (1, NULL, 1000, 0)').run();
    db.close();
    db = openDatabase(file);
    expect(schemaVersion(db)).toBeGreaterThanOrEqual(3);
    expect(db.prepare('SELECT keep_rows FROM audit_retention').pluck().get()).toBe(1000);
  });
});
