/** Migration 0008: tokens get `proxy_other_hosts` (tunnel | refuse); rows from before keep NULL, which reads as tunnel. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, schemaVersion, type Database } from '../../../../src/core/store/database.js';

let dir: string;
let db: Database | undefined;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'vk-m0008-'));
});
afterEach(() => {
  if (db?.open) db.close();
  rmSync(dir, { recursive: true, force: true });
});

const INSERT = `INSERT INTO tokens (id, name, origin, scope, binding, approval, uses, created_at, expires_at, actors)
  VALUES (?, 'bot', 'app', 'vault:v1:use', 'dpop', '"vault"', 0, 1, 2, '[]')`;

describe('migration 0008 (token proxy setting)', () => {
  it('adds a nullable proxy_other_hosts that takes only tunnel or refuse, keeping older rows', () => {
    const file = join(dir, 'valetkey.db');
    db = openDatabase(file, { targetVersion: 6 });
    db.prepare(INSERT).run('old');
    db.close();
    db = openDatabase(file, { targetVersion: 8 });
    expect(schemaVersion(db)).toBe(8);
    expect(db.prepare("SELECT proxy_other_hosts FROM tokens WHERE id = 'old'").pluck().get()).toBeNull();
    db.prepare(INSERT).run('new');
    db.prepare("UPDATE tokens SET proxy_other_hosts = 'refuse' WHERE id = 'new'").run();
    expect(db.prepare("SELECT proxy_other_hosts FROM tokens WHERE id = 'new'").pluck().get()).toBe('refuse');
    expect(() => db!.prepare("UPDATE tokens SET proxy_other_hosts = 'anything' WHERE id = 'new'").run()).toThrow(/CHECK/);
  });
});
