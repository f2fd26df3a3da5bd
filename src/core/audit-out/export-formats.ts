/**
 * One formatter per export format, used by file exports, the CLI, retention archives and (for
 * the JSON row shape) the live sinks: one code path for formats.
 */
import { VkError } from '../../shared/errors.js';
import { AUDIT_EXPORT_FORMATS, type AuditExportFormat } from '../../shared/model.js';
import { cefRow } from './cef-format.js';
import { csvHeader, csvRow } from './csv-format.js';
import { rowRecord, type ExportedRow, type ExportHeader } from './export-row.js';
import { lineSafeJson } from '../../shared/line-safe.js';
import { ocsfRow } from './ocsf-format.js';

export interface ExportFormatter {
  readonly contentType: string;
  /** Written before the first row (CSV column names, the JSON Lines range header). */
  header(h: ExportHeader): string;
  row(r: ExportedRow): string;
}

export function isExportFormat(value: unknown): value is AuditExportFormat {
  return typeof value === 'string' && (AUDIT_EXPORT_FORMATS as readonly string[]).includes(value);
}

export function formatterFor(format: AuditExportFormat, engineVersion: string): ExportFormatter {
  switch (format) {
    case 'csv':
      return { contentType: 'text/csv; charset=utf-8', header: () => csvHeader(), row: csvRow };
    case 'jsonl':
      return {
        contentType: 'application/x-ndjson',
        header: (h) => `${lineSafeJson(h)}\n`,
        row: (r) => `${lineSafeJson(rowRecord(r.row, r.checkpoint))}\n`,
      };
    case 'cef':
      return { contentType: 'text/plain; charset=utf-8', header: () => '', row: (r) => cefRow(r, engineVersion) };
    case 'ocsf':
      return { contentType: 'application/x-ndjson', header: () => '', row: (r) => ocsfRow(r, engineVersion) };
    default:
      throw new VkError('invalid_request', `format must be one of ${AUDIT_EXPORT_FORMATS.join(', ')}`);
  }
}
