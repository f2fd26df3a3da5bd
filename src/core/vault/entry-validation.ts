/**
 * Checks an entry before it is sealed and returns a clean copy: only known fields, empty values
 * dropped, hosts normalised. Details name the field and the fix, never the value.
 */
import { CANARY_TRIPS, ENTRY_KINDS, type CanarySetting, type CustomField, type EntryFields, type EntryInjection, type EntryInput, type EntryKind } from '../../shared/model.js';
import { invalid, nameKey, optionalArray, optionalValue, requireName } from './input-checks.js';
import { validateAllowedHosts } from './host-validation.js';
import { validateInjection, validateInjectionByHost } from './injection-validation.js';
import { MAX_CUSTOM_NAME_CHARS, MAX_TITLE_CHARS } from '../../shared/field-checks.js';

export { MAX_CUSTOM_NAME_CHARS, MAX_TITLE_CHARS };
import { parseTotp } from './totp.js';
import { parseSshPrivateKey, publicKeyLine } from '../ssh/ssh-key.js';

export const MAX_URLS = 50;
export const MAX_CUSTOM_FIELDS = 100;

/** A normalised entry: `allowedHosts` always present; `canary` only on canaries; no nulls. */
export interface ValidEntry extends Omit<EntryInput, 'canary' | 'injection' | 'injectionByHost'> {
  readonly allowedHosts: readonly string[];
  readonly injection?: EntryInjection;
  readonly injectionByHost?: Readonly<Record<string, EntryInjection>>;
  readonly canary?: CanarySetting;
}

function requireKind(value: unknown): EntryKind {
  const kind = ENTRY_KINDS.find((k) => k === value);
  if (kind === undefined) throw invalid(`kind must be one of ${ENTRY_KINDS.join(', ')}`);
  return kind;
}

function validateUrls(value: unknown): readonly string[] | undefined {
  const urls = optionalArray(value, 'fields.urls', MAX_URLS);
  const clean = urls?.map((u, i) => optionalValue(u ?? '', `fields.urls[${i}]`) ?? '').filter((u) => u !== '');
  return clean === undefined || clean.length === 0 ? undefined : clean;
}

function validateTotp(value: unknown): string | undefined {
  const seed = optionalValue(value, 'fields.totp')?.trim();
  if (seed === undefined || seed === '') return undefined;
  parseTotp(seed).secret.fill(0);
  return seed;
}

function validateCustomField(value: unknown, index: number): CustomField {
  const field = `fields.custom[${index}]`;
  if (typeof value !== 'object' || value === null) throw invalid(`${field} must be an object with name, value and hidden`);
  const { name, value: v, hidden } = value as Partial<Record<keyof CustomField, unknown>>;
  if (hidden !== undefined && typeof hidden !== 'boolean') throw invalid(`${field}.hidden must be true or false`);
  return {
    name: requireName(name, `The name of custom field ${index + 1}`, MAX_CUSTOM_NAME_CHARS),
    value: optionalValue(v ?? '', `${field}.value`) ?? '',
    hidden: hidden ?? false,
  };
}

function validateCustom(value: unknown): readonly CustomField[] | undefined {
  const items = optionalArray(value, 'fields.custom', MAX_CUSTOM_FIELDS);
  if (items === undefined || items.length === 0) return undefined;
  const custom = items.map(validateCustomField);
  const seen = new Set<string>();
  for (const [i, c] of custom.entries()) {
    if (seen.has(nameKey(c.name))) throw invalid(`fields.custom[${i}].name repeats another custom field's name; names must be unique`);
    seen.add(nameKey(c.name));
  }
  return custom;
}

/** The public key is always derived from the private key, never taken from the input. */
function validateSshKey(value: unknown): Pick<EntryFields, 'sshPrivateKey' | 'sshPublicKey'> {
  const text = optionalValue(value, 'fields.sshPrivateKey')?.trim();
  if (text === undefined || text === '') return {};
  return { sshPrivateKey: `${text}\n`, sshPublicKey: publicKeyLine(parseSshPrivateKey(text)) };
}

/** Drops absent and empty values so stored JSON holds only what was set. */
function compact(fields: Record<string, unknown>): EntryFields {
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined && v !== '')) as EntryFields;
}

export function validateFields(value: unknown): EntryFields {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalid('fields must be an object');
  const f = value as Partial<Record<keyof EntryFields, unknown>>;
  return compact({
    username: optionalValue(f.username, 'fields.username'),
    password: optionalValue(f.password, 'fields.password'),
    urls: validateUrls(f.urls),
    totp: validateTotp(f.totp),
    apiKey: optionalValue(f.apiKey, 'fields.apiKey'),
    ...validateSshKey(f.sshPrivateKey),
    notes: optionalValue(f.notes, 'fields.notes'),
    custom: validateCustom(f.custom),
  });
}

/** `{ onTrip: 'revoke' | 'pause' }`, or absent (undefined or null: not a canary). */
export function validateCanary(value: unknown): CanarySetting | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) throw invalid('canary must be an object like { "onTrip": "revoke" }, or null');
  const onTrip = (value as { readonly onTrip?: unknown }).onTrip ?? 'revoke';
  const trip = CANARY_TRIPS.find((t) => t === onTrip);
  if (trip === undefined) throw invalid(`canary.onTrip must be one of ${CANARY_TRIPS.join(', ')}`);
  return { onTrip: trip };
}

export function validateEntryInput(input: EntryInput): ValidEntry {
  if (typeof input !== 'object' || input === null) throw invalid('the entry must be an object with title, kind and fields');
  const kind = requireKind(input.kind);
  const fields = validateFields(input.fields);
  if (kind === 'ssh_key' && fields.sshPrivateKey === undefined) throw invalid('an ssh_key entry needs fields.sshPrivateKey');
  if (kind !== 'ssh_key' && fields.sshPrivateKey !== undefined) throw invalid('only an ssh_key entry may hold fields.sshPrivateKey');
  const injection = validateInjection(input.injection);
  const allowedHosts = validateAllowedHosts(input.allowedHosts);
  const injectionByHost = validateInjectionByHost(input.injectionByHost, allowedHosts);
  const basic = [injection, ...Object.values(injectionByHost ?? {})].some((i) => i !== undefined && 'basic' in i);
  if (basic && (fields.username ?? '') === '') throw invalid('basic auth sends the entry\'s username with the secret as the password: give the entry a username');
  const canary = validateCanary(input.canary);
  return {
    title: requireName(input.title, 'The title', MAX_TITLE_CHARS),
    kind,
    fields,
    allowedHosts,
    ...(injection === undefined ? {} : { injection }),
    ...(injectionByHost === undefined ? {} : { injectionByHost }),
    ...(canary === undefined ? {} : { canary }),
  };
}
