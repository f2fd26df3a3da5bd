/**
 * KeePass 2: KDBX 3.1/4 databases (opened with their password; kdbxweb, with Argon2 from
 * hash-wasm) and the unencrypted KeePass 2 XML export. Both become the same kdbxweb object, mapped
 * one way: the standard fields, TOTP in its several spellings, extra URLs, and every other string
 * as a custom field (protected ones hidden). Attachments and history cannot be kept; the recycle
 * bin stays behind.
 */
import kdbxweb from 'kdbxweb';
import { isVkError, type VkError } from '../../shared/errors.js';
import { EntryDraft } from './entry-draft.js';
import { fileError, skippedItem, type ImportItem, type ParsedImport } from './import-item.js';
import { installKdbxArgon2 } from './kdbx-argon2.js';
import { checkKdbxCost } from './kdbx-cost.js';
import { OTP_FIELDS, TIME_OTP_PREFIX, timeOtpSeed } from './keepass-otp.js';
import { xmlProblemLine } from './xml-check.js';

export { isKdbx } from './kdbx-signature.js';


const STANDARD = new Set(['Title', 'UserName', 'Password', 'URL', 'Notes']);
const EXTRA_URL = /^(?:KP2A_URL(?:_\d+)?|URL_\d+)$/;

function kdbxProblem(e: unknown, file: string): VkError {
  if (isVkError(e)) return fileError(file, undefined, e.detail ?? e.code);
  const code = e instanceof kdbxweb.KdbxError ? e.code : '';
  const what: Readonly<Record<string, string>> = {
    InvalidKey: 'the KDBX password is wrong (or the database also needs a key file, which Valetkey does not take)',
    BadSignature: 'this is not a KeePass database',
    InvalidVersion: 'this KDBX version is not supported',
    Unsupported: 'this KDBX file uses a cipher or option Valetkey does not support',
    FileCorrupt: 'the KDBX file is damaged or truncated',
  };
  return fileError(file, undefined, what[code] ?? 'the KDBX file cannot be read');
}

export async function mapKdbx(bytes: Uint8Array, password: string | undefined, file: string): Promise<ParsedImport> {
  if (!password) throw fileError(file, undefined, 'a KDBX database needs its password');
  installKdbxArgon2();
  const credentials = new kdbxweb.KdbxCredentials(kdbxweb.ProtectedValue.fromString(password));
  const data = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  checkKdbxCost(data, file);
  let db: kdbxweb.Kdbx;
  try {
    db = await kdbxweb.Kdbx.load(data, credentials);
  } catch (e) {
    throw kdbxProblem(e, file);
  }
  return mapDatabase(db, 'kdbx');
}

export async function mapKeepassXml(text: string, file: string): Promise<ParsedImport> {
  const problem = xmlProblemLine(text);
  if (problem) throw fileError(file, `line ${problem.line}`, problem.what);
  // loadXml wants credentials for a later save, which never happens here.
  const credentials = new kdbxweb.KdbxCredentials(kdbxweb.ProtectedValue.fromString(''));
  try {
    return mapDatabase(await kdbxweb.Kdbx.loadXml(text, credentials), 'keepass_xml');
  } catch {
    throw fileError(file, undefined, 'this is not a KeePass 2 XML export');
  }
}

function mapDatabase(db: kdbxweb.Kdbx, format: 'kdbx' | 'keepass_xml'): ParsedImport {
  const bin = db.meta.recycleBinEnabled === false ? undefined : db.meta.recycleBinUuid?.id;
  const items: ImportItem[] = [];
  const general = new Set<string>();
  const walk = (group: kdbxweb.KdbxGroup, inBin: boolean, depth: number) => {
    if (depth > 0 && group.entries.length > 0 && !inBin) general.add('KeePass groups are not kept: every entry goes into the vault you chose.');
    for (const entry of group.entries) {
      const where = `item ${items.length + 1}`;
      if (entry.history.length > 0) general.add('Entry history (older versions) is not imported.');
      items.push(inBin ? skippedItem(where, text(entry.fields.get('Title')), 'it is in the KeePass recycle bin') : mapEntry(entry, where));
    }
    for (const child of group.groups) walk(child, inBin || child.uuid.id === bin, depth + 1);
  };
  for (const root of db.groups) walk(root, false, 0);
  return { format, items, general: [...general] };
}

function text(value: kdbxweb.KdbxEntryField | undefined): string {
  if (value === undefined) return '';
  return typeof value === 'string' ? value : value.getText();
}

function mapEntry(entry: kdbxweb.KdbxEntry, where: string): ImportItem {
  const get = (key: string) => text(entry.fields.get(key)) || undefined;
  const draft = new EntryDraft(where);
  draft.title = get('Title') ?? '';
  draft.username = get('UserName');
  draft.password = get('Password');
  draft.addUrl(get('URL'));
  draft.notes = get('Notes');
  draft.addTotp(get('otp') ?? get('TOTP Seed') ?? timeOtpSeed(get));
  for (const [key, value] of entry.fields) {
    if (STANDARD.has(key) || (OTP_FIELDS as readonly string[]).includes(key) || key.startsWith(TIME_OTP_PREFIX)) continue;
    if (EXTRA_URL.test(key)) draft.addUrl(text(value));
    else draft.addCustom(key, text(value), typeof value !== 'string', true);
  }
  // KeePass has no kinds: an entry holding only notes (and fields) is a note.
  if (!draft.username && !draft.password && draft.urls.length === 0 && !draft.hasTotp()) draft.kind = 'note';
  if (entry.binaries.size > 0) draft.lose(`${entry.binaries.size} attachment(s) not imported: Valetkey does not store files`);
  return draft.finish();
}
