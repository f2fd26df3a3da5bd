import type { Migration } from './migration.js';

/**
 * Audit out: live sinks with their persistent cursors and health, the retention policy,
 * the archives retention wrote, and the signed anchor the verifier starts from once rows before
 * it were archived and deleted. Sink credentials (HEC token, webhook HMAC key) are sealed.
 */
export const migration0003: Migration = {
  version: 3,
  name: 'audit-sinks',
  up(db) {
    db.exec(`
      CREATE TABLE audit_sinks (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL UNIQUE COLLATE NOCASE,
        kind TEXT NOT NULL CHECK (kind IN ('syslog', 'splunk_hec', 'webhook')),
        config TEXT NOT NULL,                -- JSON, nothing secret: host, port, url, transport, CA
        -- HEC token or webhook HMAC key, sealed by a key derived from the master key; AD = ("audit-sink-credential", id)
        sealed_credential BLOB,
        enabled INTEGER NOT NULL CHECK (enabled IN (0, 1)),
        cursor_seq INTEGER NOT NULL,         -- last row the receiver surely has
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        last_delivered_at INTEGER,
        last_error TEXT,                     -- fixed wording; never a credential or a receiver's body
        last_error_at INTEGER
      ) STRICT;

      CREATE TABLE audit_retention (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        keep_days INTEGER CHECK (keep_days IS NULL OR keep_days >= 1),
        keep_rows INTEGER CHECK (keep_rows IS NULL OR keep_rows >= 1),
        updated_at INTEGER NOT NULL
      ) STRICT;

      CREATE TABLE audit_archives (
        id INTEGER PRIMARY KEY,
        file TEXT NOT NULL,                  -- name inside the data directory's audit-archive folder
        from_seq INTEGER NOT NULL,
        to_seq INTEGER NOT NULL,
        prev_hash BLOB NOT NULL,
        last_hash BLOB NOT NULL,
        sha256 TEXT NOT NULL,                -- of the archive file, signed in its .sig file
        created_at INTEGER NOT NULL
      ) STRICT;

      -- The chain hash of the last archived row, signed like a checkpoint; the verifier starts here.
      CREATE TABLE audit_anchor (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        seq INTEGER NOT NULL,
        hash BLOB NOT NULL,
        ts INTEGER NOT NULL,
        key_id TEXT NOT NULL,
        signature BLOB NOT NULL,
        archive_id INTEGER REFERENCES audit_archives(id)
      ) STRICT;
    `);
  },
};
