/**
 * Bitwarden's unencrypted JSON export (`{ encrypted: false, folders, items }`). Logins keep their
 * username, password, URIs and TOTP; secure notes become notes; cards and identities become notes
 * with custom fields; SSH keys become API-key entries. Our own export adds a `valetkey` object to
 * each item (kind, API-key field, allowed hosts) so a round trip loses nothing; Bitwarden ignores it.
 */
import { ENTRY_KINDS } from '../../shared/model.js';
import { EntryDraft } from './entry-draft.js';
import { fileError, skippedItem, type ImportItem, type ParsedImport } from './import-item.js';
import { asObject, optArray, optNumber, optObject, optText, type JsonObject, type Where } from './json-shape.js';
import { labelOf } from './labels.js';

/** The extension key our exporter writes on each item. */
export const VALETKEY_EXTENSION = 'valetkey';

export const BITWARDEN_TYPE = { login: 1, secureNote: 2, card: 3, identity: 4, sshKey: 5 } as const;
export const BITWARDEN_FIELD = { text: 0, hidden: 1, boolean: 2, linked: 3 } as const;

const IDENTITY_HIDDEN = new Set(['ssn', 'passportNumber', 'licenseNumber']);
const IDENTITY_LABELS: Readonly<Record<string, string>> = { ssn: 'SSN', address1: 'Address 1', address2: 'Address 2', address3: 'Address 3' };

export function mapBitwarden(data: unknown, file: string): ParsedImport {
  const root = asObject(data, { file }, 'the file');
  if (root['encrypted'] === true) throw fileError(file, undefined, 'this Bitwarden export is encrypted; export again choosing "JSON", not "JSON (Encrypted)"');
  if (!Array.isArray(root['items'])) throw fileError(file, undefined, '`items` must be a JSON array');
  const general = new Set<string>();
  if (optArray(root, 'folders', { file }).length > 0 || optArray(root, 'collections', { file }).length > 0) {
    general.add('Folders and collections are not kept: every item goes into the vault you chose.');
  }
  const items = root['items'].map((raw: unknown, i: number) => mapItem(raw, { file, where: `item ${i + 1}` }, general));
  return { format: 'bitwarden_json', items, general: [...general] };
}

function mapItem(raw: unknown, at: Where, general: Set<string>): ImportItem {
  const where = at.where ?? '';
  const item = asObject(raw, at, 'the item');
  const name = optText(item, 'name', at) ?? '';
  if (optText(item, 'deletedDate', at)) return skippedItem(where, name, 'it is in Bitwarden’s trash');
  const draft = new EntryDraft(where);
  draft.title = name;
  draft.notes = optText(item, 'notes', at);
  const type = optNumber(item, 'type', at);
  switch (type) {
    case BITWARDEN_TYPE.login:
      mapLogin(draft, optObject(item, 'login', at) ?? {}, at);
      break;
    case BITWARDEN_TYPE.secureNote:
      draft.kind = 'note';
      break;
    case BITWARDEN_TYPE.card:
    case BITWARDEN_TYPE.identity:
      mapAsNote(draft, type, item, at);
      general.add('Cards and identities become notes whose details are custom fields (numbers and codes hidden).');
      break;
    case BITWARDEN_TYPE.sshKey:
      mapSshKey(draft, optObject(item, 'sshKey', at) ?? {}, at);
      break;
    default:
      return skippedItem(where, name, `Bitwarden item type ${String(type ?? 'none')} is not one Valetkey knows`);
  }
  mapFields(draft, optArray(item, 'fields', at), at);
  if (optArray(item, 'passwordHistory', at).length > 0) general.add('Password history is not imported.');
  applyExtension(draft, optObject(item, VALETKEY_EXTENSION, at), at);
  return draft.finish();
}

function mapLogin(draft: EntryDraft, login: JsonObject, at: Where): void {
  draft.username = optText(login, 'username', at);
  draft.password = optText(login, 'password', at);
  draft.addTotp(optText(login, 'totp', at));
  for (const raw of optArray(login, 'uris', at)) draft.addUrl(optText(asObject(raw, at, 'each of `login.uris`'), 'uri', at));
  if (optArray(login, 'fido2Credentials', at).length > 0) draft.lose('the passkey was not imported: Valetkey does not store passkeys');
}

function mapAsNote(draft: EntryDraft, type: number, item: JsonObject, at: Where): void {
  draft.kind = 'note';
  if (type === BITWARDEN_TYPE.card) {
    const card = optObject(item, 'card', at) ?? {};
    draft.addCustom('Cardholder name', optText(card, 'cardholderName', at), false);
    draft.addCustom('Brand', optText(card, 'brand', at), false);
    draft.addCustom('Number', optText(card, 'number', at), true);
    const month = optText(card, 'expMonth', at);
    const year = optText(card, 'expYear', at);
    draft.addCustom('Expires', month || year ? `${month ?? ''}/${year ?? ''}` : undefined, false);
    draft.addCustom('Security code', optText(card, 'code', at), true);
    return;
  }
  const identity = optObject(item, 'identity', at) ?? {};
  for (const key of Object.keys(identity)) draft.addCustom(IDENTITY_LABELS[key] ?? labelOf(key), optText(identity, key, at), IDENTITY_HIDDEN.has(key));
}

function mapSshKey(draft: EntryDraft, key: JsonObject, at: Where): void {
  draft.kind = 'api_key';
  draft.apiKey = optText(key, 'privateKey', at);
  draft.addCustom('Public key', optText(key, 'publicKey', at), false);
  draft.addCustom('Fingerprint', optText(key, 'keyFingerprint', at), false);
}

function mapFields(draft: EntryDraft, fields: readonly unknown[], at: Where): void {
  for (const raw of fields) {
    const field = asObject(raw, at, 'each of `fields`');
    const type = optNumber(field, 'type', at) ?? BITWARDEN_FIELD.text;
    if (type === BITWARDEN_FIELD.linked) {
      draft.lose('a linked field was not imported: Valetkey has no linked fields');
      continue;
    }
    draft.addCustom(optText(field, 'name', at), optText(field, 'value', at) ?? '', type === BITWARDEN_FIELD.hidden, true);
  }
}

/** Our own export's extension: restores what Bitwarden has no place for. */
function applyExtension(draft: EntryDraft, ext: JsonObject | undefined, at: Where): void {
  if (ext === undefined) return;
  const kind = ENTRY_KINDS.find((k) => k === ext['kind']);
  if (kind !== undefined) draft.kind = kind;
  const apiKeyField = optText(ext, 'apiKeyField', at);
  if (apiKeyField !== undefined) draft.apiKey = draft.takeCustom(apiKeyField)?.value;
  const hosts = optArray(ext, 'allowedHosts', at);
  if (hosts.length > 0) draft.allowedHosts = hosts.map((h) => (typeof h === 'string' ? h : ''));
}
