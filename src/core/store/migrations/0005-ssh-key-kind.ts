import type { Migration } from './migration.js';

/**
 * SSH keys become an entry kind (`ssh_key`, signed with by the engine for `valetkey ssh-agent`).
 * SQLite cannot change a CHECK, so `entries` is rebuilt with the same columns, rows and index.
 * No table references entries.
 */
export const migration0005: Migration = {
  version: 5,
  name: 'ssh-key-kind',
  up(db) {
    db.exec(`
      CREATE TABLE entries_new (
        id TEXT PRIMARY KEY,
        vault_id TEXT NOT NULL REFERENCES vaults(id) ON DELETE CASCADE,
        kind TEXT NOT NULL CHECK (kind IN ('login', 'api_key', 'note', 'ssh_key')),
        version INTEGER NOT NULL,
        sealed_title BLOB NOT NULL,
        sealed_fields BLOB NOT NULL,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      ) STRICT;
      INSERT INTO entries_new SELECT id, vault_id, kind, version, sealed_title, sealed_fields, created_at, updated_at FROM entries;
      DROP TABLE entries;
      ALTER TABLE entries_new RENAME TO entries;
      CREATE INDEX entries_vault ON entries(vault_id);
    `);
  },
};
