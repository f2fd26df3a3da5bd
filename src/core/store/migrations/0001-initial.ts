import type { Migration } from './migration.js';

/**
 * The first schema: settings, vaults, entries, and the audit ledger with its checkpoints.
 * Names and every secret-bearing field are sealed; only ids, kinds, versions and times are plain.
 */
export const migration0001: Migration = {
  version: 1,
  name: 'initial',
  up(db) {
    db.exec(`
      CREATE TABLE settings (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
      ) STRICT;

      CREATE TABLE vaults (
        id TEXT PRIMARY KEY,
        -- the vault key, sealed by the master key; AD = ("vault-key", id)
        wrapped_key BLOB NOT NULL,
        -- name, icon, colour, approval; sealed by the vault key; AD = ("vault-meta", id, version)
        sealed_meta BLOB NOT NULL,
        version INTEGER NOT NULL,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      ) STRICT;

      CREATE TABLE entries (
        id TEXT PRIMARY KEY,
        vault_id TEXT NOT NULL REFERENCES vaults(id) ON DELETE CASCADE,
        kind TEXT NOT NULL CHECK (kind IN ('login', 'api_key', 'note')),
        version INTEGER NOT NULL,
        -- AD = ("entry-title", vault_id, id, version)
        sealed_title BLOB NOT NULL,
        -- fields, custom fields, notes, allowed hosts; AD = ("entry-fields", vault_id, id, version)
        sealed_fields BLOB NOT NULL,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX entries_vault ON entries(vault_id);

      CREATE TABLE audit (
        seq INTEGER PRIMARY KEY,
        ts INTEGER NOT NULL,
        actor TEXT NOT NULL,
        agent TEXT,
        token_id TEXT,
        key_thumbprint TEXT,
        action TEXT NOT NULL,
        vault_id TEXT,
        entry_id TEXT,
        field TEXT,
        reason TEXT,
        outcome TEXT NOT NULL,
        error_code TEXT,
        approval_id TEXT,
        detail TEXT,
        hash BLOB NOT NULL
      ) STRICT;
      CREATE INDEX audit_ts ON audit(ts);
      CREATE INDEX audit_agent ON audit(agent, seq);
      CREATE INDEX audit_token ON audit(token_id, seq);
      CREATE INDEX audit_vault ON audit(vault_id, seq);
      CREATE INDEX audit_action ON audit(action, seq);
      CREATE INDEX audit_outcome ON audit(outcome, seq);

      CREATE TABLE audit_checkpoints (
        seq INTEGER PRIMARY KEY,
        hash BLOB NOT NULL,
        ts INTEGER NOT NULL,
        key_id TEXT NOT NULL,
        signature BLOB NOT NULL
      ) STRICT;
    `);
  },
};
