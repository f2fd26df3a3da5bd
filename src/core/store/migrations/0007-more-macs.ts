import type { Migration } from './migration.js';

/**
 * More rows that widen carry a MAC: the audit retention policy (a shorter one makes the engine
 * delete evidence) and whether a token has a tripwire guard (deleting the guard row would drop
 * its rules and its pause). A database already sealed under schema 6 asks the first unlock to
 * seal these too (`seal_pending` = 7); one still waiting for the schema 6 step keeps that request,
 * which now covers both.
 */
export const migration0007: Migration = {
  version: 7,
  name: 'more-macs',
  up(db) {
    db.exec(`
      ALTER TABLE audit_retention ADD COLUMN mac TEXT;
      ALTER TABLE tokens ADD COLUMN guarded INTEGER NOT NULL DEFAULT 0 CHECK (guarded IN (0, 1));
      INSERT INTO settings (key, value) VALUES ('seal_pending', '7') ON CONFLICT(key) DO NOTHING;
    `);
  },
};
