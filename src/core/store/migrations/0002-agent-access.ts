import type { Migration } from './migration.js';

/**
 * Agent access: valet-key tokens (with their one-time enrollment codes, stored as hashes),
 * agent-initiated device requests, and approvals. Vault and entry names stay sealed elsewhere;
 * these tables hold ids only.
 */
export const migration0002: Migration = {
  version: 2,
  name: 'agent-access',
  up(db) {
    db.exec(`
      CREATE TABLE tokens (
        id TEXT PRIMARY KEY,                 -- also the jti of the access token
        name TEXT NOT NULL,                  -- the agent's name: sub and client_id
        origin TEXT NOT NULL CHECK (origin IN ('app', 'device', 'exchange')),
        scope TEXT NOT NULL,                 -- canonical scope string, with ids
        binding TEXT NOT NULL CHECK (binding IN ('dpop', 'bearer')),
        approval TEXT NOT NULL,              -- JSON: "vault" or an ApprovalSetting
        max_uses INTEGER,
        requests_per_minute INTEGER,
        uses INTEGER NOT NULL DEFAULT 0,
        created_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL,
        revoked_at INTEGER,
        revoked_reason TEXT,
        enrollment_hash TEXT UNIQUE,         -- SHA-256 of the enrollment code; cleared once redeemed
        enrollment_expires_at INTEGER,
        enrolled_at INTEGER,
        jkt TEXT,                            -- RFC 7638 thumbprint of the agent's key, once enrolled
        parent_id TEXT REFERENCES tokens(id),
        actors TEXT NOT NULL DEFAULT '[]',   -- JSON array of names along the exchange chain
        last_used_at INTEGER
      ) STRICT;
      CREATE INDEX tokens_parent ON tokens(parent_id);
      CREATE INDEX tokens_expires ON tokens(expires_at);

      CREATE TABLE device_requests (
        id TEXT PRIMARY KEY,
        device_code_hash TEXT NOT NULL UNIQUE,
        user_code TEXT NOT NULL,
        client_id TEXT NOT NULL,
        jkt TEXT NOT NULL,
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
      CREATE INDEX device_requests_status ON device_requests(status, created_at);

      CREATE TABLE approvals (
        id TEXT PRIMARY KEY,
        token_id TEXT NOT NULL REFERENCES tokens(id),
        jkt TEXT,
        agent TEXT NOT NULL,
        vault_id TEXT NOT NULL,
        entry_id TEXT,
        field TEXT,
        action TEXT NOT NULL CHECK (action IN ('read', 'use')),
        reason TEXT,
        status TEXT NOT NULL CHECK (status IN ('pending', 'allowed', 'denied', 'timed_out')),
        decision TEXT CHECK (decision IN ('allow_once', 'allow_for', 'deny')),
        minutes INTEGER,
        created_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL,
        decided_at INTEGER,
        valid_until INTEGER,                 -- allow_for (and once-per-token vaults): reusable until then
        setting TEXT NOT NULL                -- JSON ApprovalSetting in force when asked: once_per_token covers the whole vault
      ) STRICT;
      CREATE INDEX approvals_status ON approvals(status, created_at);
      CREATE INDEX approvals_token ON approvals(token_id, vault_id);

      CREATE INDEX audit_actor ON audit(actor, seq);
    `);
  },
};
