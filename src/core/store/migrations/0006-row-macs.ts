import type { Migration } from './migration.js';

/**
 * Granting rows carry a MAC (docs/security.md, "Granting is for people"), and the audit chain
 * keeps a signed head. Rows already here get their MACs at the first unlock after the upgrade
 * (the engine's one-time "seal existing rows" step, which `seal_pending` asks for): this
 * migration runs before any key is loaded, so it cannot compute them itself.
 */
export const migration0006: Migration = {
  version: 6,
  name: 'row-macs',
  up(db) {
    db.exec(`
      ALTER TABLE tokens ADD COLUMN mac TEXT;
      ALTER TABLE device_requests ADD COLUMN mac TEXT;
      ALTER TABLE approvals ADD COLUMN mac TEXT;
      ALTER TABLE audit_sinks ADD COLUMN mac TEXT;

      -- The last row's hash and the row count, signed at every checkpoint and at clean shutdown.
      CREATE TABLE audit_head (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        seq INTEGER NOT NULL,
        hash BLOB NOT NULL,
        every INTEGER NOT NULL,
        ts INTEGER NOT NULL,
        key_id TEXT NOT NULL,
        signature BLOB NOT NULL
      ) STRICT;

      INSERT INTO settings (key, value) VALUES ('seal_pending', '1')
        ON CONFLICT(key) DO UPDATE SET value = excluded.value;
    `);
  },
};
