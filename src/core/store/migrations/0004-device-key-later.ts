import type { Migration } from './migration.js';

/**
 * A device request may arrive without a DPoP proof (RFC 9449 defines none for the device
 * authorization endpoint), so its key is not known until the first token request that carries
 * one: `device_requests.jkt` becomes nullable. SQLite cannot drop a NOT NULL, so the table is
 * rebuilt with the same columns, rows and index. Nothing references device_requests.
 */
export const migration0004: Migration = {
  version: 4,
  name: 'device-key-later',
  up(db) {
    db.exec(`
      CREATE TABLE device_requests_new (
        id TEXT PRIMARY KEY,
        device_code_hash TEXT NOT NULL UNIQUE,
        user_code TEXT NOT NULL,
        client_id TEXT NOT NULL,
        jkt TEXT,                            -- the agent's key; null until a proof or dpop_jkt names it
        scope TEXT NOT NULL,                 -- as requested (refs may be names)
        lifespan_seconds INTEGER NOT NULL,
        reason TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'denied', 'expired', 'redeemed')),
        interval_seconds INTEGER NOT NULL,
        created_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL,
        decided_at INTEGER,
        last_poll_at INTEGER,
        token_id TEXT REFERENCES tokens(id),
        granted_scope TEXT,                  -- set on approval: canonical scope with ids (maybe narrowed)
        granted_lifespan_seconds INTEGER     -- set on approval: at most lifespan_seconds
      ) STRICT;
      INSERT INTO device_requests_new SELECT
        id, device_code_hash, user_code, client_id, jkt, scope, lifespan_seconds, reason, status, interval_seconds,
        created_at, expires_at, decided_at, last_poll_at, token_id, granted_scope, granted_lifespan_seconds
      FROM device_requests;
      DROP TABLE device_requests;
      ALTER TABLE device_requests_new RENAME TO device_requests;
      CREATE INDEX device_requests_status ON device_requests(status, created_at);
    `);
  },
};
