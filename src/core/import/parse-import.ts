/**
 * Opens an export file whatever its format: told apart by content (zip members, the KDBX
 * signature, XML root, JSON shape, CSV header), then handed to that format's mapper. A format the
 * caller names must agree with the content, so a mislabelled file is refused rather than misread.
 */
import type { ImportFormat } from '../../shared/model.js';
import { parseCsv } from './csv.js';
import { csvFormatOf, mapCsv, type CsvFormat } from './csv-formats.js';
import { mapBitwarden } from './bitwarden-json.js';
import { fileError, type ImportSource, type ParsedImport } from './import-item.js';
import { isObject } from './json-shape.js';
import { parseJson } from './json-text.js';
import { isKdbx, mapKdbx, mapKeepassXml } from './keepass.js';
import { map1pux, ONEPUX_DATA } from './onepassword-1pux.js';
import { mapProtonPass, PROTON_DATA } from './proton-pass.js';
import { isZip, readZipMember, zipMemberNames } from './zip-archive.js';

const CSV_FORMATS: readonly ImportFormat[] = ['chrome_csv', 'firefox_csv', '1password_csv'];

function decodeText(bytes: Uint8Array, file: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/^\uFEFF/, '');
  } catch {
    throw fileError(file, undefined, 'the file is neither a known archive nor UTF-8 text');
  }
}

function agree(detected: ImportFormat, requested: ImportFormat | undefined, file: string): void {
  if (requested !== undefined && requested !== detected) throw fileError(file, undefined, `the content is a ${detected} file, not ${requested}`);
}

function openZip(source: ImportSource, requested: ImportFormat | undefined): ParsedImport {
  const names = zipMemberNames(source.bytes, source.name);
  const format: ImportFormat | undefined = names.includes(ONEPUX_DATA) ? '1password_1pux' : names.includes(PROTON_DATA) ? 'proton_pass' : undefined;
  if (format === undefined) throw fileError(source.name, undefined, `the zip archive has neither ${ONEPUX_DATA} (1Password) nor ${PROTON_DATA} (Proton Pass)`);
  agree(format, requested, source.name);
  const member = format === '1password_1pux' ? ONEPUX_DATA : PROTON_DATA;
  const data = parseJson(decodeText(readZipMember(source.bytes, source.name, member), `${source.name}: ${member}`), `${source.name}: ${member}`);
  return format === '1password_1pux' ? map1pux(data, source.name) : mapProtonPass(data, source.name);
}

/** A bare JSON file: Bitwarden's export, or Proton's data.json / 1Password's export.data taken out of their zip. */
function openJson(text: string, source: ImportSource, requested: ImportFormat | undefined): ParsedImport {
  const data = parseJson(text, source.name);
  const format: ImportFormat | undefined = !isObject(data)
    ? undefined
    : Array.isArray(data['items'])
      ? 'bitwarden_json'
      : Array.isArray(data['accounts'])
        ? '1password_1pux'
        : isObject(data['vaults'])
          ? 'proton_pass'
          : undefined;
  if (format === undefined) throw fileError(source.name, undefined, 'this JSON is not a Bitwarden, 1Password or Proton Pass export');
  agree(format, requested, source.name);
  if (format === 'bitwarden_json') return mapBitwarden(data, source.name);
  return format === '1password_1pux' ? map1pux(data, source.name) : mapProtonPass(data, source.name);
}

function openCsv(text: string, source: ImportSource, requested: ImportFormat | undefined): ParsedImport {
  const table = parseCsv(text, source.name);
  // CSV headers overlap, so a CSV format the person names wins over the guess.
  const format = requested !== undefined && CSV_FORMATS.includes(requested) ? (requested as CsvFormat) : csvFormatOf(table.header);
  if (format === undefined) throw fileError(source.name, 'line 1', 'the header is not one of a Chrome, Firefox or 1Password CSV; name the format');
  agree(format, requested, source.name);
  return mapCsv(table, format, source.name);
}

export async function parseImport(source: ImportSource, requested?: ImportFormat): Promise<ParsedImport> {
  if (source.bytes.length === 0) throw fileError(source.name, undefined, 'the file is empty');
  if (isZip(source.bytes)) return openZip(source, requested);
  if (isKdbx(source.bytes)) {
    agree('kdbx', requested, source.name);
    return mapKdbx(source.bytes, source.kdbxPassword, source.name);
  }
  const text = decodeText(source.bytes, source.name);
  const start = text.trimStart()[0];
  if (start === '<') {
    agree('keepass_xml', requested, source.name);
    return mapKeepassXml(text, source.name);
  }
  if (start === '{' || start === '[') return openJson(text, source, requested);
  return openCsv(text, source, requested);
}
