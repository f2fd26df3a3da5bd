/**
 * Proton Pass's unencrypted export: a zip with `Proton Pass/data.json` (`{ version, encrypted,
 * vaults: { id: { name, items } } }`). Logins, notes and the extra fields map directly; cards and
 * identities become notes with custom fields; SSH keys, API-key entries. Aliases live on in Proton
 * and trashed items stay behind; both are listed.
 */
import { EntryDraft } from './entry-draft.js';
import { fileError, skippedItem, type ImportItem, type ParsedImport } from './import-item.js';
import { asObject, isObject, optArray, optNumber, optObject, optText, type JsonObject, type Where } from './json-shape.js';
import { labelOf } from './labels.js';

export const PROTON_DATA = 'Proton Pass/data.json';

const TRASHED = 2;
const CARD_FIELDS = [
  ['cardholderName', 'Cardholder name', false],
  ['number', 'Number', true],
  ['verificationNumber', 'Verification number', true],
  ['expirationDate', 'Expiration date', false],
  ['pin', 'PIN', true],
] as const;
const HIDDEN_IDENTITY = new Set(['socialSecurityNumber', 'passportNumber', 'licenseNumber']);

export function mapProtonPass(data: unknown, file: string): ParsedImport {
  const root = asObject(data, { file }, 'data.json');
  if (root['encrypted'] === true) throw fileError(file, undefined, 'this Proton Pass export is encrypted (PGP); export again without encryption');
  const vaults = asObject(root['vaults'], { file }, '`vaults`');
  const general = new Set<string>();
  if (Object.keys(vaults).length > 1) general.add('Proton Pass vaults are merged: every item goes into the vault you chose.');
  const items: ImportItem[] = [];
  for (const vault of Object.values(vaults)) {
    for (const raw of optArray(asObject(vault, { file }, 'a vault'), 'items', { file })) {
      items.push(mapItem(raw, { file, where: `item ${items.length + 1}` }, general));
    }
  }
  return { format: 'proton_pass', items, general: [...general] };
}

function mapItem(raw: unknown, at: Where, general: Set<string>): ImportItem {
  const where = at.where ?? '';
  const item = asObject(raw, at, 'the item');
  const data = asObject(item['data'], at, '`data`');
  const metadata = optObject(data, 'metadata', at) ?? {};
  const title = optText(metadata, 'name', at) ?? '';
  if (optNumber(item, 'state', at) === TRASHED) return skippedItem(where, title, 'it is in Proton Pass’s trash');
  const type = optText(data, 'type', at);
  const content = optObject(data, 'content', at) ?? {};
  const draft = new EntryDraft(where);
  draft.title = title;
  draft.notes = optText(metadata, 'note', at);
  if (type === 'alias') return skippedItem(where, title, 'an email alias has nothing secret to import; it stays in Proton Pass');
  if (!mapContent(draft, type, content, at, general)) return skippedItem(where, title, `Proton Pass item type “${(type ?? 'none').slice(0, 40)}” is not supported`);
  for (const field of optArray(data, 'extraFields', at)) addExtraField(draft, field, at);
  return draft.finish();
}

/** False for a type Valetkey does not know. */
function mapContent(draft: EntryDraft, type: string | undefined, content: JsonObject, at: Where, general: Set<string>): boolean {
  switch (type) {
    case 'login':
      mapLogin(draft, content, at);
      return true;
    case 'note':
      draft.kind = 'note';
      return true;
    case 'creditCard':
      draft.kind = 'note';
      for (const [key, label, hidden] of CARD_FIELDS) draft.addCustom(label, optText(content, key, at), hidden);
      general.add('Cards, identities and Wi-Fi items become notes whose details are custom fields.');
      return true;
    case 'identity':
    case 'wifi':
      draft.kind = 'note';
      addFlatFields(draft, content, at);
      general.add('Cards, identities and Wi-Fi items become notes whose details are custom fields.');
      return true;
    case 'sshKey':
      draft.kind = 'api_key';
      draft.apiKey = optText(content, 'privateKey', at);
      draft.addCustom('Public key', optText(content, 'publicKey', at), false);
      return true;
    default:
      return false;
  }
}

function mapLogin(draft: EntryDraft, content: JsonObject, at: Where): void {
  const username = optText(content, 'itemUsername', at) || optText(content, 'username', at);
  const email = optText(content, 'itemEmail', at);
  draft.username = username || email;
  if (username && email) draft.addCustom('Email', email, false);
  draft.password = optText(content, 'password', at);
  for (const url of optArray(content, 'urls', at)) draft.addUrl(typeof url === 'string' ? url : undefined);
  draft.addTotp(optText(content, 'totpUri', at));
  const passkeys = optArray(content, 'passkeys', at).length;
  if (passkeys > 0) draft.lose(`${passkeys} passkey(s) not imported: Valetkey does not store passkeys`);
}

/** Identity and Wi-Fi content: every text value becomes a field; nested extra-field lists are walked. */
function addFlatFields(draft: EntryDraft, content: JsonObject, at: Where): void {
  for (const [key, value] of Object.entries(content)) {
    if (typeof value === 'string' || typeof value === 'number') draft.addCustom(labelOf(key), String(value), HIDDEN_IDENTITY.has(key) || key === 'password');
    else if (Array.isArray(value)) for (const field of value) addNested(draft, field, at);
  }
}

function addNested(draft: EntryDraft, value: unknown, at: Where): void {
  if (!isObject(value)) return;
  if (Array.isArray(value['sectionFields'])) for (const field of value['sectionFields']) addExtraField(draft, field, at);
  else if (typeof value['fieldName'] === 'string') addExtraField(draft, value, at);
}

function addExtraField(draft: EntryDraft, raw: unknown, at: Where): void {
  const field = asObject(raw, at, 'an extra field');
  const name = optText(field, 'fieldName', at);
  const data = optObject(field, 'data', at) ?? {};
  const type = optText(field, 'type', at);
  if (type === 'totp') draft.addTotp(optText(data, 'totpUri', at), name);
  else draft.addCustom(name, optText(data, 'content', at), type === 'hidden');
}
