import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, schemaVersion, type Database } from '../../../src/core/store/database.js';
import { MIGRATIONS } from '../../../src/core/store/migrations/index.js';
import type { Migration } from '../../../src/core/store/migrations/migration.js';

let dir: string;
let file: string;
const opened: Database[] = [];

function open(options?: Parameters<typeof openDatabase>[1]): Database {
  const db = openDatabase(file, options);
  opened.push(db);
  return db;
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'vk-db-'));
  file = join(dir, 'valetkey.db');
});
afterEach(() => {
  for (const db of opened.splice(0)) if (db.open) db.close();
  rmSync(dir, { recursive: true, force: true });
});

const latest = MIGRATIONS.at(-1)!.version;

describe('openDatabase', () => {
  it('uses WAL, synchronous=FULL and foreign keys', () => {
    const db = open();
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(2); // 2 = FULL
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
  });

  it('migrates an empty file to the latest version, and stays there on reopen', () => {
    expect(schemaVersion(open())).toBe(latest);
    opened[0]!.close();
    expect(schemaVersion(open())).toBe(latest);
  });

  it('stops at a target version', () => {
    const steps: Migration[] = [
      { version: 1, name: 'one', up: (db) => db.exec('CREATE TABLE one (x INTEGER) STRICT') },
      { version: 2, name: 'two', up: (db) => db.exec('CREATE TABLE two (x INTEGER) STRICT') },
    ];
    const db = open({ migrations: steps, targetVersion: 1 });
    expect(schemaVersion(db)).toBe(1);
    expect(db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all()).toEqual(['one']);
  });

  it('rolls back a failing migration as a whole and leaves the version where it was', () => {
    const steps: Migration[] = [
      { version: 1, name: 'one', up: (db) => db.exec('CREATE TABLE one (x INTEGER) STRICT') },
      {
        version: 2,
        name: 'broken',
        up: (db) => {
          db.exec('CREATE TABLE half (x INTEGER) STRICT');
          throw new Error('boom');
        },
      },
    ];
    expect(() => open({ migrations: steps })).toThrow('boom');
    const raw = new BetterSqlite3(file);
    try {
      expect(raw.pragma('user_version', { simple: true })).toBe(1);
      expect(raw.prepare("SELECT name FROM sqlite_master WHERE name = 'half'").get()).toBeUndefined();
    } finally {
      raw.close();
    }
  });

  it('refuses a file from a newer Valetkey with a clear message, without touching it', () => {
    const raw = new BetterSqlite3(file);
    raw.pragma(`user_version = ${latest + 5}`);
    raw.close();
    expect(() => open()).toThrow(`database schema ${latest + 5} is newer than this Valetkey (${latest}); upgrade Valetkey`);
    const check = new BetterSqlite3(file);
    try {
      expect(check.pragma('user_version', { simple: true })).toBe(latest + 5);
      expect(check.prepare("SELECT count(*) FROM sqlite_master WHERE type = 'table'").pluck().get()).toBe(0);
    } finally {
      check.close();
    }
  });
});
