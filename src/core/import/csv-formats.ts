/**
 * Password CSVs, told apart by their header row: Chrome (`name,url,username,password[,note]`),
 * Firefox (`url,username,password,httpRealm,formActionOrigin,guid,…`) and 1Password
 * (`Title,Url,Username,Password,OTPAuth,Favorite,Archived,Tags,Notes`). Each row is one login.
 */
import type { ImportFormat } from '../../shared/model.js';
import { columns, type CsvRow, type CsvTable } from './csv.js';
import { EntryDraft } from './entry-draft.js';
import { fileError, type ImportItem, type ParsedImport } from './import-item.js';

export type CsvFormat = Extract<ImportFormat, 'chrome_csv' | 'firefox_csv' | '1password_csv'>;

const REQUIRED: Readonly<Record<CsvFormat, readonly string[]>> = {
  chrome_csv: ['name', 'url', 'username', 'password'],
  firefox_csv: ['url', 'username', 'password'],
  '1password_csv': ['title', 'username', 'password'],
};

/** The CSV format a header row belongs to, or undefined. */
export function csvFormatOf(header: readonly string[]): CsvFormat | undefined {
  const names = new Set(header.map((h) => h.toLowerCase()));
  const has = (...n: string[]) => n.every((x) => names.has(x));
  if (has('url', 'username', 'password') && (has('httprealm') || has('formactionorigin'))) return 'firefox_csv';
  if (has(...REQUIRED['1password_csv'])) return '1password_csv';
  if (has(...REQUIRED.chrome_csv)) return 'chrome_csv';
  return undefined;
}

type Get = ReturnType<typeof columns>;

function chromeRow(get: Get, row: CsvRow): ImportItem {
  const draft = new EntryDraft(`line ${row.line}`);
  draft.title = get(row, 'name');
  draft.addUrl(get(row, 'url'));
  draft.username = get(row, 'username');
  draft.password = get(row, 'password');
  draft.notes = get(row, 'note', 'notes');
  return draft.finish();
}

function firefoxRow(get: Get, row: CsvRow): ImportItem {
  const draft = new EntryDraft(`line ${row.line}`);
  draft.addUrl(get(row, 'url'));
  draft.username = get(row, 'username');
  draft.password = get(row, 'password');
  draft.addCustom('HTTP realm', get(row, 'httpRealm'), false);
  return draft.finish();
}

function onePasswordRow(get: Get, row: CsvRow, general: Set<string>): ImportItem {
  const draft = new EntryDraft(`line ${row.line}`);
  draft.title = get(row, 'title');
  draft.addUrl(get(row, 'url', 'website'));
  draft.username = get(row, 'username');
  draft.password = get(row, 'password');
  draft.addTotp(get(row, 'otpauth'));
  draft.notes = get(row, 'notes');
  if (get(row, 'tags') !== '') general.add('Tags are not kept.');
  if (get(row, 'archived').toLowerCase() === 'true') general.add('Archived items are imported like the others.');
  return draft.finish();
}

export function mapCsv(table: CsvTable, format: CsvFormat, file: string): ParsedImport {
  const missing = REQUIRED[format].filter((name) => !table.header.some((h) => h.toLowerCase() === name));
  if (missing.length > 0) throw fileError(file, 'line 1', `the header has no ${missing.join(', ')} column for a ${format} file`);
  const get = columns(table);
  const general = new Set<string>();
  const items = table.rows.map((row) => {
    if (format === 'chrome_csv') return chromeRow(get, row);
    if (format === 'firefox_csv') return firefoxRow(get, row);
    return onePasswordRow(get, row, general);
  });
  return { format, items, general: [...general] };
}
