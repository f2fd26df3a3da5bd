/**
 * What the audit-out folder (exports, retention, live sinks and their admin methods) uses of the
 * engine, and nothing more. The Engine satisfies it as it is; naming the parts here keeps this
 * folder off engine.ts and shows at a glance that it never reaches the vaults' secrets.
 */
import type { AdminEvent, AuditRecord, AuditRow } from '../../shared/model.js';
import type { AuditLedger } from '../audit/audit-ledger.js';
import type { DataPaths } from '../config/data-dir.js';
import type { EngineKeys } from '../keys/key-store.js';
import type { EngineSigner } from '../keys/signing-key.js';
import type { RowSeal } from '../integrity/row-seal.js';
import type { Database } from '../store/database.js';
import type { VaultStore } from '../vault/vault-store.js';
import type { AuditSinkStore } from './sink-store.js';

export interface AuditOutEngine {
  /** The retention policy, archives and anchor tables; the `audit` table only through `ledger`. */
  readonly db: Database;
  readonly ledger: Pick<AuditLedger, 'flush' | 'head' | 'onAppend' | 'rows'>;
  readonly auditSinks: AuditSinkStore;
  readonly paths: Pick<DataPaths, 'dataDir' | 'database'>;
  /** Vault and entry names for the dashboard's download, never an entry's fields. */
  readonly vaults: Pick<VaultStore, 'listVaults' | 'listEntries'>;
  readonly clock: () => number;
  readonly locked: boolean;
  readonly signer: EngineSigner | undefined;
  /** Signs and checks the retention policy's row (docs/security.md §9). */
  readonly seal: RowSeal;
  /** The master key, to open a sink's sealed credential while unlocked. */
  currentKeys(): Pick<EngineKeys, 'master'>;
  verifyCheckpoint(data: Uint8Array, signature: Uint8Array, keyId: string): boolean;
  audit(record: AuditRecord): Promise<AuditRow>;
  subscribe(listener: (e: AdminEvent) => void): () => void;
}
