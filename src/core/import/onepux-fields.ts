/**
 * The fields inside a 1PUX item's sections. Each field's `value` object has one key naming its
 * type (`string`, `concealed`, `totp`, `date`, …); concealed values stay hidden in Valetkey.
 */
import type { EntryDraft } from './entry-draft.js';
import { asObject, isObject, optObject, optText, type JsonObject, type Where } from './json-shape.js';
import { labelOf } from './labels.js';

const PLAIN_TYPES = new Set(['string', 'url', 'phone', 'menu', 'gender', 'creditCardType']);

function isoDay(unixSeconds: unknown): string | undefined {
  if (typeof unixSeconds !== 'number' || !Number.isFinite(unixSeconds)) return undefined;
  const date = new Date(unixSeconds * 1000);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString().slice(0, 10);
}

function monthYear(value: unknown): string | undefined {
  if (typeof value !== 'number' || !Number.isInteger(value)) return undefined;
  return `${Math.floor(value / 100)}-${String(value % 100).padStart(2, '0')}`;
}

function addressText(value: unknown): string | undefined {
  if (!isObject(value)) return undefined;
  const parts = ['street', 'city', 'state', 'zip', 'country'].map((k) => value[k]).filter((v): v is string => typeof v === 'string' && v.trim() !== '');
  return parts.length > 0 ? parts.join(', ') : undefined;
}

function emailText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  return isObject(value) && typeof value['email_address'] === 'string' ? value['email_address'] : undefined;
}

function addSshKey(draft: EntryDraft, value: unknown, at: Where): void {
  const key = asObject(value, at, 'an `sshKey` value');
  const meta = optObject(key, 'metadata', at) ?? {};
  const privateKey = optText(key, 'privateKey', at) ?? optText(meta, 'privateKey', at);
  if (draft.apiKey === undefined) draft.apiKey = privateKey;
  else draft.addCustom('Private key', privateKey, true);
  draft.addCustom('Public key', optText(meta, 'publicKey', at), false);
  draft.addCustom('Fingerprint', optText(meta, 'fingerprint', at), false);
  draft.addCustom('Key type', optText(meta, 'keyType', at), false);
}

/** A concealed value: an API credential's key, a login's password if it has none yet, else a hidden field. */
function addConcealed(draft: EntryDraft, id: string, title: string, value: string | undefined): void {
  if (draft.kind === 'api_key' && id === 'credential' && draft.apiKey === undefined) draft.apiKey = value;
  else if (draft.kind === 'login' && id === 'password' && draft.password === undefined) draft.password = value;
  else draft.addCustom(title, value, true);
}

function addPlain(draft: EntryDraft, id: string, title: string, value: string | undefined): void {
  if (id === 'username' && draft.username === undefined && draft.kind !== 'note') draft.username = value;
  else draft.addCustom(title, value, false);
}

export function addSectionField(draft: EntryDraft, raw: unknown, at: Where): void {
  const field = asObject(raw, at, 'a section field');
  const id = optText(field, 'id', at) ?? '';
  const title = optText(field, 'title', at) || labelOf(id) || 'Field';
  const value: JsonObject = optObject(field, 'value', at) ?? {};
  const [type, v] = Object.entries(value)[0] ?? ['', undefined];
  if (type === '') return;
  const text = typeof v === 'string' ? v : undefined;
  if (type === 'totp') draft.addTotp(text, title);
  else if (type === 'concealed') addConcealed(draft, id, title, text);
  else if (PLAIN_TYPES.has(type)) addPlain(draft, id, title, text);
  else if (type === 'email') draft.addCustom(title, emailText(v), false);
  else if (type === 'creditCardNumber') draft.addCustom(title, text, true);
  else if (type === 'date') draft.addCustom(title, isoDay(v), false);
  else if (type === 'monthYear') draft.addCustom(title, monthYear(v), false);
  else if (type === 'address') draft.addCustom(title, addressText(v), false);
  else if (type === 'sshKey') addSshKey(draft, v, at);
  else if (type === 'file') draft.lose('an attached file was not imported: Valetkey does not store files');
  else if (type === 'reference') draft.lose('a link to another 1Password item was not imported');
  else draft.lose(`a field of type “${type.slice(0, 40)}” was not imported`);
}
