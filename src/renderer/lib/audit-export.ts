/**
 * CSV and JSON Lines export of the audit log, built in the page from paged `queryAudit` calls
 * (newest first, 500 rows a page). The rows never hold a secret value (the ledger refuses them);
 * CSV cells that a spreadsheet would run as a formula are defused, since reasons come from agents.
 */
import { lineSafeJson, lineSafeText } from '../../shared/line-safe.js';
import type { AuditPage, AuditQuery, AuditRow } from '../../shared/model.js';

export const EXPORT_FORMATS = ['csv', 'jsonl'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const EXPORT_PAGE_SIZE = 500;

export const CSV_COLUMNS = [
  'seq',
  'time',
  'actor',
  'agent',
  'tokenId',
  'keyThumbprint',
  'action',
  'vaultId',
  'entryId',
  'field',
  'reason',
  'outcome',
  'errorCode',
  'approvalId',
  'detail',
  'hash',
  // Added at the end, as columns only ever are: names beside the ids, for people reading the file.
  'vaultName',
  'entryTitle',
] as const;

type Column = (typeof CSV_COLUMNS)[number];

/** Vault and entry names by id, as the dashboard knows them now (empty while locked: the ids stay). */
export interface ExportNames {
  readonly vaults: ReadonlyMap<string, string>;
  readonly entries: ReadonlyMap<string, string>;
}

export const NO_NAMES: ExportNames = { vaults: new Map(), entries: new Map() };

function namesOf(row: AuditRow, names: ExportNames): { vaultName: string | null; entryTitle: string | null } {
  return {
    vaultName: row.vaultId === null ? null : (names.vaults.get(row.vaultId) ?? null),
    entryTitle: row.entryId === null ? null : (names.entries.get(row.entryId) ?? null),
  };
}

/** One CSV cell (RFC 4180 quoting), with a leading `'` before =, +, -, @, tab or CR (CSV injection). */
export function csvCell(value: string | number | null): string {
  if (value === null) return '';
  const raw = String(value);
  const defused = typeof value === 'string' && /^[=+\-@\t\r]/.test(raw) ? `'${raw}` : raw;
  // Escaped before quoting: older rows may hold line breaks, and line-based readers split on them.
  const text = lineSafeText(defused);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function cellOf(row: AuditRow, column: Column, names: ExportNames): string | number | null {
  switch (column) {
    case 'time':
      return new Date(row.ts).toISOString();
    case 'detail':
      return row.detail === null ? null : JSON.stringify(row.detail);
    case 'vaultName':
    case 'entryTitle':
      return namesOf(row, names)[column];
    default:
      return row[column];
  }
}

export function csvHeader(): string {
  return `${CSV_COLUMNS.join(',')}\r\n`;
}

export function auditRowToCsv(row: AuditRow, names: ExportNames = NO_NAMES): string {
  return `${CSV_COLUMNS.map((c) => csvCell(cellOf(row, c, names))).join(',')}\r\n`;
}

export function auditRowToJsonLine(row: AuditRow, names: ExportNames = NO_NAMES): string {
  const { vaultName, entryTitle } = namesOf(row, names);
  // Only names that are known: a JSON line keeps the ledger row's own shape otherwise.
  return `${lineSafeJson({ ...row, ...(vaultName === null ? {} : { vaultName }), ...(entryTitle === null ? {} : { entryTitle }) })}\n`;
}

export type FetchAuditPage = (query: AuditQuery) => Promise<AuditPage>;

/** Every page the query matches, newest first; stops when the engine says there are no more. */
export async function* auditPages(fetchPage: FetchAuditPage, query: AuditQuery): AsyncGenerator<readonly AuditRow[]> {
  let beforeSeq: number | undefined;
  for (;;) {
    const page = await fetchPage({ ...query, limit: EXPORT_PAGE_SIZE, ...(beforeSeq === undefined ? {} : { beforeSeq }) });
    if (page.rows.length > 0) yield page.rows;
    if (page.nextBeforeSeq === undefined || page.rows.length === 0) return;
    beforeSeq = page.nextBeforeSeq;
  }
}

/** The export as text chunks (one per page) for a Blob; `onProgress` hears the running row count. */
export async function exportAudit(
  format: ExportFormat,
  fetchPage: FetchAuditPage,
  query: AuditQuery,
  onProgress?: (rows: number) => void,
  names: ExportNames = NO_NAMES,
): Promise<string[]> {
  const chunks: string[] = format === 'csv' ? [csvHeader()] : [];
  const line = (row: AuditRow) => (format === 'csv' ? auditRowToCsv(row, names) : auditRowToJsonLine(row, names));
  let count = 0;
  for await (const rows of auditPages(fetchPage, query)) {
    chunks.push(rows.map(line).join(''));
    count += rows.length;
    onProgress?.(count);
  }
  return chunks;
}

export function exportFileName(format: ExportFormat, now: number): string {
  const stamp = new Date(now).toISOString().replace(/[:.]/g, '-').slice(0, 19);
  return `valetkey-audit-${stamp}.${format === 'csv' ? 'csv' : 'jsonl'}`;
}

export const EXPORT_MIME: Readonly<Record<ExportFormat, string>> = {
  csv: 'text/csv;charset=utf-8',
  jsonl: 'application/x-ndjson;charset=utf-8',
};
