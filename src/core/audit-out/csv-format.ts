/**
 * CSV export (RFC 4180: comma-separated, CRLF line ends, fields with a comma, quote or line break
 * quoted, quotes doubled). The columns are stable and documented in README.md; new columns are
 * only ever added at the end.
 *
 * CSV injection: a spreadsheet runs a cell that starts with = + - @ (or a tab or CR) as a
 * formula, and reasons and agent names come from agents. Such cells get a leading apostrophe,
 * which spreadsheets show as text (OWASP "CSV Injection").
 */
import { namesOf, type ExportedRow, type ExportNames } from './export-row.js';
import { lineSafeText } from '../../shared/line-safe.js';

export const CSV_COLUMNS = [
  'seq', 'time', 'ts_ms', 'actor', 'agent', 'token_id', 'key_thumbprint', 'action', 'vault_id', 'entry_id',
  'field', 'reason', 'outcome', 'error_code', 'approval_id', 'detail', 'hash', 'prev_hash',
] as const;

/** After the documented columns, in a download only: names beside the ids (empty when not known). */
export const NAME_COLUMNS = ['vault_name', 'entry_title'] as const;

const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

export function csvCell(value: string | number | null): string {
  if (value === null) return '';
  const raw = String(value);
  // Escaped before quoting: a quoted line break is valid CSV, but line-based readers split on it.
  const text = lineSafeText(FORMULA_START.test(raw) ? `'${raw}` : raw);
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function csvLine(cells: readonly (string | number | null)[]): string {
  return `${cells.map(csvCell).join(',')}\r\n`;
}

export function csvHeader(withNames = false): string {
  return csvLine(withNames ? [...CSV_COLUMNS, ...NAME_COLUMNS] : CSV_COLUMNS);
}

export function csvRow({ row, prevHash }: ExportedRow, names?: ExportNames): string {
  const named = names === undefined ? [] : Object.values(namesOf(row, names));
  return csvLine([
    row.seq, new Date(row.ts).toISOString(), row.ts, row.actor, row.agent, row.tokenId, row.keyThumbprint,
    row.action, row.vaultId, row.entryId, row.field, row.reason, row.outcome, row.errorCode, row.approvalId,
    row.detail === null ? null : JSON.stringify(row.detail), row.hash, prevHash, ...named,
  ]);
}
