import type { Migration } from './migration.js';

/**
 * What `valetkey proxy` does with hosts no entry allows, chosen by the person per token: `tunnel`
 * or `refuse`. NULL (rows from before) reads as `tunnel`, as those tokens always did; the row MAC
 * covers the column once it is set.
 */
export const migration0008: Migration = {
  version: 8,
  name: 'token-proxy-other-hosts',
  up(db) {
    db.exec("ALTER TABLE tokens ADD COLUMN proxy_other_hosts TEXT CHECK (proxy_other_hosts IN ('tunnel', 'refuse'))");
  },
};
