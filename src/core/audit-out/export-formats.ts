/**
 * One formatter per export format, used by file exports, the CLI, retention archives and (for
 * the JSON row shape) the live sinks: one code path for formats.
 */
import { VkError } from '../../shared/errors.js';
import { AUDIT_EXPORT_FORMATS, type AuditExportFormat } from '../../shared/model.js';
import { cefRow } from './cef-format.js';
import { csvHeader, csvRow } from './csv-format.js';
import { namesOf, rowRecord, type ExportedRow, type ExportHeader, type ExportNames } from './export-row.js';
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

/** `names` (downloads only) adds vault and entry names: CSV columns at the end, JSON keys when known. */
export function formatterFor(format: AuditExportFormat, engineVersion: string, names?: ExportNames): ExportFormatter {
  switch (format) {
    case 'csv':
      return { contentType: 'text/csv; charset=utf-8', header: () => csvHeader(names !== undefined), row: (r) => csvRow(r, names) };
    case 'jsonl':
      return {
        contentType: 'application/x-ndjson',
        header: (h) => `${lineSafeJson(h)}\n`,
        row: (r) => `${lineSafeJson({ ...rowRecord(r.row, r.checkpoint), ...knownNames(r, names) })}\n`,
      };
    case 'cef':
      return { contentType: 'text/plain; charset=utf-8', header: () => '', row: (r) => cefRow(r, engineVersion) };
    case 'ocsf':
      return { contentType: 'application/x-ndjson', header: () => '', row: (r) => ocsfRow(r, engineVersion) };
    default:
      throw new VkError('invalid_request', `format must be one of ${AUDIT_EXPORT_FORMATS.join(', ')}`);
  }
}

/** Only the names that are known: otherwise a line keeps the ledger row's own shape. The verifier reads the chained keys alone. */
function knownNames(r: ExportedRow, names: ExportNames | undefined): Record<string, string> {
  if (names === undefined) return {};
  const { vaultName, entryTitle } = namesOf(r.row, names);
  return { ...(vaultName === null ? {} : { vaultName }), ...(entryTitle === null ? {} : { entryTitle }) };
}
