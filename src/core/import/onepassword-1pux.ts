/**
 * 1Password's 1PUX export: a zip whose `export.data` is JSON of accounts → vaults → items. Logins
 * and passwords become logins; secure notes, notes; API credentials and SSH keys, API-key
 * entries; every other category a note with its details as custom fields. Documents (files),
 * attachments and links between items cannot be kept and are listed.
 */
import type { EntryKind } from '../../shared/model.js';
import { EntryDraft } from './entry-draft.js';
import { fileError, skippedItem, type ImportItem, type ParsedImport } from './import-item.js';
import { asObject, isObject, optArray, optObject, optText, type JsonObject, type Where } from './json-shape.js';
import { addSectionField } from './onepux-fields.js';

export const ONEPUX_DATA = 'export.data';

const CATEGORY = { login: '001', password: '005', secureNote: '003', document: '006', apiCredential: '112', sshKey: '114' } as const;

function kindOf(category: string | undefined): EntryKind {
  switch (category) {
    case CATEGORY.login:
    case CATEGORY.password:
      return 'login';
    case CATEGORY.apiCredential:
    case CATEGORY.sshKey:
      return 'api_key';
    default:
      return 'note';
  }
}

export function map1pux(data: unknown, file: string): ParsedImport {
  const root = asObject(data, { file }, `${ONEPUX_DATA}`);
  if (!Array.isArray(root['accounts'])) throw fileError(file, ONEPUX_DATA, '`accounts` must be a JSON array');
  const general = new Set<string>();
  const items: ImportItem[] = [];
  let vaults = 0;
  for (const account of root['accounts'] as unknown[]) {
    for (const vault of optArray(asObject(account, { file }, 'an account'), 'vaults', { file })) {
      vaults += 1;
      for (const item of optArray(asObject(vault, { file }, 'a vault'), 'items', { file })) {
        items.push(mapItem(item, { file, where: `item ${items.length + 1}` }, general));
      }
    }
  }
  if (vaults > 1) general.add('1Password vaults are merged: every item goes into the vault you chose.');
  return { format: '1password_1pux', items, general: [...general] };
}

function loginValue(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (!isObject(value)) return undefined;
  const inner = value['email_address'] ?? value['string'];
  return typeof inner === 'string' ? inner : undefined;
}

function addLoginFields(draft: EntryDraft, details: JsonObject, at: Where): void {
  for (const raw of optArray(details, 'loginFields', at)) {
    if (raw === null) continue;
    const field = asObject(raw, at, 'a login field');
    const value = loginValue(field['value']);
    const designation = optText(field, 'designation', at);
    if (designation === 'username' && draft.username === undefined) draft.username = value;
    else if (designation === 'password' && draft.password === undefined) draft.password = value;
    else if (optText(field, 'fieldType', at) !== 'C') draft.addCustom(optText(field, 'name', at), value, optText(field, 'fieldType', at) === 'P');
  }
}

function addUrls(draft: EntryDraft, overview: JsonObject, at: Where): void {
  for (const raw of optArray(overview, 'urls', at)) draft.addUrl(optText(asObject(raw, at, 'each of `overview.urls`'), 'url', at));
  if (draft.urls.length === 0) draft.addUrl(optText(overview, 'url', at));
}

function noteGeneral(item: JsonObject, details: JsonObject, overview: JsonObject, at: Where, general: Set<string>): void {
  if (item['state'] === 'archived') general.add('Archived items are imported like the others.');
  if (optArray(details, 'passwordHistory', at).length > 0) general.add('Password history is not imported.');
  if (optArray(overview, 'tags', at).length > 0) general.add('Tags are not kept.');
}

function mapItem(raw: unknown, at: Where, general: Set<string>): ImportItem {
  const item = asObject(raw, at, 'the item');
  const overview = optObject(item, 'overview', at) ?? {};
  const details = optObject(item, 'details', at) ?? {};
  const category = optText(item, 'categoryUuid', at);
  const draft = new EntryDraft(at.where ?? '');
  draft.title = optText(overview, 'title', at) ?? '';
  if (category === CATEGORY.document) return skippedItem(draft.where, draft.title, 'documents (files) are not imported: Valetkey does not store files');
  draft.kind = kindOf(category);
  if (draft.kind === 'note' && category !== CATEGORY.secureNote) general.add('1Password categories other than logins, passwords, notes, API credentials and SSH keys become notes with their details as custom fields.');
  noteGeneral(item, details, overview, at, general);
  addLoginFields(draft, details, at);
  if (draft.password === undefined) draft.password = optText(details, 'password', at);
  addUrls(draft, overview, at);
  draft.notes = optText(details, 'notesPlain', at);
  for (const rawSection of optArray(details, 'sections', at)) {
    if (rawSection === null) continue;
    for (const field of optArray(asObject(rawSection, at, 'a section'), 'fields', at)) addSectionField(draft, field, at);
  }
  if (optObject(details, 'documentAttributes', at) !== undefined) draft.lose('the attached document was not imported: Valetkey does not store files');
  return draft.finish();
}
