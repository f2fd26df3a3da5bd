/**
 * What every export format is built from: one audit row as stored, plus what the chain needs
 * around it (the previous row's hash, and the signed checkpoint at this row when there is one).
 */
import type { AuditExportFormat, AuditRow } from '../../shared/model.js';
import type { ExportPlan } from './export-plan.js';
import { chainedFields } from '../audit/audit-chain.js';

export interface ExportCheckpoint {
  readonly keyId: string;
  /** Ed25519 signature over checkpointMessage(seq, hash), base64url. */
  readonly signature: string;
}

export interface ExportedRow {
  readonly row: AuditRow;
  /** Hex chain hash of row seq - 1. */
  readonly prevHash: string;
  readonly checkpoint?: ExportCheckpoint;
}

export const EXPORT_TYPE = 'valetkey-audit-export';
export const EXPORT_VERSION = 1;

/** The first line of a JSON Lines export: which range of the chain it covers (the plan), and who wrote it when. */
export interface ExportHeader extends ExportPlan {
  readonly type: typeof EXPORT_TYPE;
  readonly version: typeof EXPORT_VERSION;
  readonly format: AuditExportFormat;
  readonly generatedAt: string;
  readonly engineVersion: string;
  /** The last row the signed audit head covered when this was written; rows after it are the unsigned tail. */
  readonly signedThrough: number;
}

/** Vault and entry names by id, for a person reading a download; the ledger itself holds ids only. */
export interface ExportNames {
  readonly vaults: ReadonlyMap<string, string>;
  readonly entries: ReadonlyMap<string, string>;
}

export function namesOf(row: AuditRow, names: ExportNames): { readonly vaultName: string | null; readonly entryTitle: string | null } {
  return {
    vaultName: row.vaultId === null ? null : (names.vaults.get(row.vaultId) ?? null),
    entryTitle: row.entryId === null ? null : (names.entries.get(row.entryId) ?? null),
  };
}

/** The row as JSON Lines exports and live sinks send it: the 15 chained fields, its hash, and its checkpoint. */
export function rowRecord(row: AuditRow, checkpoint?: ExportCheckpoint): Record<string, unknown> {
  return { ...chainedFields(row), hash: row.hash, ...(checkpoint ? { checkpoint } : {}) };
}
