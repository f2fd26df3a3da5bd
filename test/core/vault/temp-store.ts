/** A real SQLite file in a fresh temp dir, with an unlocked vault store on it, for the vault tests. */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { asMasterKey, type MasterKey } from '../../../src/core/crypto/types.js';
import { openDatabase, type Database } from '../../../src/core/store/database.js';
import { VaultStore } from '../../../src/core/vault/vault-store.js';

export interface TempStore {
  readonly dir: string;
  readonly file: string;
  readonly db: Database;
  readonly store: VaultStore;
  readonly master: MasterKey;
  /** The time the store's clock reads; tests move it. */
  readonly clock: { now: number };
  cleanup(): void;
}

export function randomMaster(): MasterKey {
  return asMasterKey(new Uint8Array(randomBytes(32)));
}

export function tempStore(): TempStore {
  const dir = mkdtempSync(join(tmpdir(), 'vk-vault-'));
  const file = join(dir, 'valetkey.db');
  const db = openDatabase(file);
  const master = randomMaster();
  const clock = { now: Date.UTC(2025, 0, 1) };
  const store = new VaultStore(db, () => clock.now);
  store.unlock(master);
  return {
    dir,
    file,
    db,
    store,
    master,
    clock,
    cleanup() {
      if (db.open) db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
