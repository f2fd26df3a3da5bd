/**
 * Opens the engine's SQLite file: WAL, synchronous=FULL (a commit is on disk before we answer),
 * foreign keys on, then runs pending migrations, each in its own transaction.
 */
import { closeSync, openSync } from 'node:fs';
import BetterSqlite3, { type Database } from 'better-sqlite3';
import { MIGRATIONS } from './migrations/index.js';
import type { Migration } from './migrations/migration.js';

export type { Database };

export interface OpenOptions {
  /** Stop after this schema version (migration tests). */
  readonly targetVersion?: number;
  readonly migrations?: readonly Migration[];
  readonly readonly?: boolean;
}

export function openDatabase(file: string, options: OpenOptions = {}): Database {
  // SQLite creates the file with the umask's mode (often 0644) and gives -wal and -shm the same:
  // create it 0600 first, so none of them is ever readable by others.
  if (!options.readonly) closeSync(openSync(file, 'a', 0o600));
  const db = new BetterSqlite3(file, { readonly: options.readonly ?? false });
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    if (!options.readonly) migrate(db, options.migrations ?? MIGRATIONS, options.targetVersion);
    return db;
  } catch (e) {
    db.close();
    throw e;
  }
}

export function schemaVersion(db: Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

export function migrate(db: Database, migrations: readonly Migration[], targetVersion?: number): void {
  const current = schemaVersion(db);
  const latest = migrations.at(-1)?.version ?? 0;
  if (current > latest) {
    throw new Error(`database schema ${current} is newer than this Valetkey (${latest}); upgrade Valetkey`);
  }
  for (const m of migrations) {
    if (m.version <= current) continue;
    if (targetVersion !== undefined && m.version > targetVersion) break;
    db.transaction(() => {
      m.up(db);
      db.pragma(`user_version = ${m.version}`);
    })();
  }
}
