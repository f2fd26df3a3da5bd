/** What the token service needs from the engine, as a small explicit object (testable alone). */
import type { Database } from 'better-sqlite3';
import type { AdminEvent, AuditRecord } from '../../shared/model.js';
import type { TokenKey } from '../auth/token-key.js';
import type { VaultLookup } from './token-scope.js';
import type { RowSeal } from '../integrity/row-seal.js';

export interface TokenServiceDeps {
  readonly db: Database;
  readonly vaults: VaultLookup;
  /** Resolves once the row is durably committed (AuditLedger.append). */
  readonly audit: (record: AuditRecord) => Promise<unknown>;
  /** The engine's signing key; throws vault_locked while there is none. */
  readonly signer: () => TokenKey;
  /** `http://127.0.0.1:<port>` of the agent endpoint: the tokens' `iss` and `aud`. */
  readonly issuer: string;
  /** Milliseconds since the epoch. */
  readonly clock: () => number;
  readonly emit: (event: AdminEvent) => void;
  /** Told which tokens a revocation just took effect on (the approval broker fails their waits). */
  readonly onRevoked?: (tokenIds: readonly string[]) => void;
  /**
   * Resolves once the engine's record outside the database (the keychain's high-water mark) has
   * caught up with a revocation, so a copy of the database from before it is refused at start.
   */
  readonly recorded?: () => Promise<void>;
  /** MACs of token rows: a row an agent writes or widens grants nothing. */
  readonly seal: RowSeal;
}

/** Audit details carry the scope, cut short so a wide token cannot overflow a row's 4 KiB. */
export function scopeDetail(scopeText: string): string {
  return scopeText.length <= 2048 ? scopeText : `${scopeText.slice(0, 2048)}…`;
}
