import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, schemaVersion, type Database } from '../../../../src/core/store/database.js';

let dir: string;
let file: string;
let db: Database | undefined;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'vk-m0004-'));
  file = join(dir, 'valetkey.db');
});
afterEach(() => {
  if (db?.open) db.close();
  rmSync(dir, { recursive: true, force: true });
});

const columns = (): string[] => db!.prepare("SELECT name FROM pragma_table_info('device_requests') ORDER BY cid").pluck().all() as string[];
const INSERT = `INSERT INTO device_requests (id, device_code_hash, user_code, client_id, jkt, scope, lifespan_seconds, reason, status, interval_seconds, created_at, expires_at)
  VALUES (?, ?, 'BCDFGHJK', 'bot', ?, 'vault:v:read', 3600, 'why', ?, 5, 1, 2)`;

describe('migration 0004 (device request key bound later)', () => {
  it('makes device_requests.jkt nullable, keeping rows, columns, checks and the index', () => {
    db = openDatabase(file, { targetVersion: 3 });
    const before = columns();
    db.prepare(INSERT).run('r1', 'h1', 'jkt-of-r1', 'pending');
    expect(() => db!.prepare(INSERT).run('r2', 'h2', null, 'pending')).toThrow(/NOT NULL/);
    db.close();
    db = openDatabase(file, { targetVersion: 4 });
    expect(schemaVersion(db)).toBe(4);
    expect(columns()).toEqual(before);
    expect(db.prepare("SELECT jkt FROM device_requests WHERE id = 'r1'").pluck().get()).toBe('jkt-of-r1');
    db.prepare(INSERT).run('r2', 'h2', null, 'pending');
    expect(db.prepare("SELECT jkt FROM device_requests WHERE id = 'r2'").pluck().get()).toBeNull();
    expect(() => db!.prepare(INSERT).run('r3', 'h1', null, 'pending')).toThrow(/UNIQUE/);
    expect(() => db!.prepare(INSERT).run('r4', 'h4', null, 'waiting')).toThrow(/CHECK/);
    expect(() => db!.prepare("UPDATE device_requests SET token_id = 'no-such-token' WHERE id = 'r1'").run()).toThrow(/FOREIGN KEY/);
    const strict = db.prepare("SELECT strict FROM pragma_table_list WHERE name = 'device_requests'").pluck().get();
    expect(strict).toBe(1);
    const index = db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'device_requests' AND name NOT LIKE 'sqlite_%'").pluck().all();
    expect(index).toEqual(['device_requests_status']);
  });
});
