/** The SQL the vault store runs, prepared once per database, with the row shapes it returns. */
import type { Database, Statement } from 'better-sqlite3';

export interface VaultRow {
  readonly id: string;
  readonly wrapped_key: Uint8Array;
  readonly sealed_meta: Uint8Array;
  readonly version: number;
  readonly created_at: number;
  readonly updated_at: number;
  readonly entry_count: number;
}

export interface EntryRow {
  readonly id: string;
  readonly vault_id: string;
  readonly kind: string;
  readonly version: number;
  readonly sealed_title: Uint8Array;
  readonly sealed_fields: Uint8Array;
  readonly created_at: number;
  readonly updated_at: number;
}

const VAULT_COLUMNS = `id, wrapped_key, sealed_meta, version, created_at, updated_at,
  (SELECT count(*) FROM entries WHERE entries.vault_id = vaults.id) AS entry_count`;

export function prepareStatements(db: Database) {
  return {
    allVaults: db.prepare(`SELECT ${VAULT_COLUMNS} FROM vaults`) as Statement<[], VaultRow>,
    vaultById: db.prepare(`SELECT ${VAULT_COLUMNS} FROM vaults WHERE id = ?`) as Statement<[string], VaultRow>,
    vaultCount: db.prepare(`SELECT count(*) FROM vaults`).pluck() as Statement<[], number>,
    insertVault: db.prepare(
      `INSERT INTO vaults (id, wrapped_key, sealed_meta, version, created_at, updated_at)
       VALUES (@id, @wrapped_key, @sealed_meta, @version, @created_at, @updated_at)`,
    ),
    updateVault: db.prepare(`UPDATE vaults SET sealed_meta = @sealed_meta, version = @version, updated_at = @updated_at WHERE id = @id`),
    deleteVault: db.prepare(`DELETE FROM vaults WHERE id = ?`),
    entriesOf: db.prepare(`SELECT * FROM entries WHERE vault_id = ?`) as Statement<[string], EntryRow>,
    entryById: db.prepare(`SELECT * FROM entries WHERE vault_id = ? AND id = ?`) as Statement<[string, string], EntryRow>,
    insertEntry: db.prepare(
      `INSERT INTO entries (id, vault_id, kind, version, sealed_title, sealed_fields, created_at, updated_at)
       VALUES (@id, @vault_id, @kind, @version, @sealed_title, @sealed_fields, @created_at, @updated_at)`,
    ),
    updateEntry: db.prepare(
      `UPDATE entries SET kind = @kind, version = @version, sealed_title = @sealed_title,
       sealed_fields = @sealed_fields, updated_at = @updated_at WHERE id = @id AND vault_id = @vault_id`,
    ),
    deleteEntry: db.prepare(`DELETE FROM entries WHERE vault_id = ? AND id = ?`),
  };
}

export type VaultStatements = ReturnType<typeof prepareStatements>;

/** better-sqlite3 binds Buffers; a libsodium Uint8Array is viewed as one without copying. */
export function blob(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
