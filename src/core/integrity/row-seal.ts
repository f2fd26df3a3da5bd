/**
 * Signs and checks the MACs of granting rows, and remembers which rows failed. A row that fails
 * grants nothing: the caller gets `tamper_detected`. Each failing row is audited once per run (not
 * once per request, so a tampered row an agent polls cannot flood the log) and listed in the
 * engine status, where the dashboard shows it as a banner and `valetkey status` prints it.
 */
import { VkError } from '../../shared/errors.js';
import type { AuditRecord, TamperedRecord } from '../../shared/model.js';
import type { SigningSeed } from '../crypto/types.js';
import { hmacHex, macKey, ROW_MAC_PURPOSE, rowMacMessage, sameMac, type MacField } from './row-mac.js';

/** The tables whose rows carry a MAC, `vaults` and `entries` (held to the log's versions), and `proxy_ca`: the CA certificate file, checked against the engine's own key. */
export type SealedTable = 'vaults' | 'entries' | 'tokens' | 'device_requests' | 'approvals' | 'audit_sinks' | 'settings' | 'audit_head' | 'audit_retention' | 'proxy_ca';

export interface RowSealDeps {
  readonly clock: () => number;
  /** Appends an audit row; failures are swallowed (the refusal itself still stands). */
  readonly audit: (record: AuditRecord) => Promise<unknown>;
  readonly onTamper?: (record: TamperedRecord) => void;
}

export class RowSeal {
  #key: Buffer | undefined;
  readonly #tampered = new Map<string, TamperedRecord>();

  constructor(private readonly deps: RowSealDeps) {}

  /** Called when the engine gets its keys; before that nothing can be signed or checked. */
  setSeed(seed: SigningSeed): void {
    this.#key = macKey(seed, ROW_MAC_PURPOSE);
  }

  get ready(): boolean {
    return this.#key !== undefined;
  }

  /** The MAC to store with a row. A locked engine that never had its keys signs nothing. */
  sign(table: SealedTable, id: string, fields: readonly MacField[]): string {
    return hmacHex(this.#requireKey(), rowMacMessage(table, id, fields));
  }

  /** True when the stored MAC matches; otherwise the row is reported (once) and false returned. */
  valid(table: SealedTable, id: string, fields: readonly MacField[], mac: string | null): boolean {
    if (sameMac(this.sign(table, id, fields), mac)) return true;
    this.report(table, id);
    return false;
  }

  /** Throws tamper_detected unless the stored MAC matches. */
  check(table: SealedTable, id: string, fields: readonly MacField[], mac: string | null): void {
    if (!this.valid(table, id, fields, mac)) throw new VkError('tamper_detected');
  }

  /** Records a row that failed (or a row that should exist and does not), auditing it once. */
  report(table: SealedTable, rowId: string): void {
    const key = `${table}\u0000${rowId}`;
    if (this.#tampered.has(key)) return;
    const record: TamperedRecord = { table, rowId, detectedAt: this.deps.clock() };
    this.#tampered.set(key, record);
    this.deps
      .audit({
        actor: 'engine',
        action: 'integrity.tamper_detected',
        outcome: 'error',
        errorCode: 'tamper_detected',
        detail: { table, rowId },
      })
      .catch(() => undefined);
    this.deps.onTamper?.(record);
  }

  /** What failed since the engine started, oldest first. */
  tampered(): readonly TamperedRecord[] {
    return [...this.#tampered.values()];
  }

  #requireKey(): Buffer {
    if (this.#key === undefined) throw new VkError('vault_locked');
    return this.#key;
  }
}
