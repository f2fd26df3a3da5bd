/**
 * Field names as they appear in `vk://vault/entry/field` references. Built-in names come first; a
 * custom field is found by its name (case-insensitive) or as `custom:<name>`.
 */
import { VkError } from '../../shared/errors.js';
import type { CustomField, Entry, EntryFields } from '../../shared/model.js';
import { nameKey } from './input-checks.js';

const BUILT_IN: Readonly<Record<string, (f: EntryFields) => string | undefined>> = {
  username: (f) => f.username,
  password: (f) => f.password,
  url: (f) => f.urls?.[0],
  notes: (f) => f.notes,
  api_key: (f) => f.apiKey,
  apikey: (f) => f.apiKey,
  credential: (f) => f.apiKey,
  public_key: (f) => f.sshPublicKey,
};

const CUSTOM_PREFIX = 'custom:';

function findCustom(fields: EntryFields, name: string): CustomField | undefined {
  const key = nameKey(name);
  return fields.custom?.find((c) => nameKey(c.name) === key);
}

function lookup(fields: EntryFields, field: string): string | undefined {
  const lower = field.trim().toLowerCase();
  if (lower.startsWith(CUSTOM_PREFIX)) return findCustom(fields, field.trim().slice(CUSTOM_PREFIX.length))?.value;
  const builtIn = Object.hasOwn(BUILT_IN, lower) ? BUILT_IN[lower]?.(fields) : undefined;
  // A custom field may share a built-in name (an API-key entry's "password"); the built-in wins when set.
  return builtIn !== undefined && builtIn !== '' ? builtIn : findCustom(fields, field)?.value;
}

/** The value a reference names. The TOTP seed is never handed out by name: only its current code is. */
export function readField(entry: Entry, field: string): string {
  if (field.trim().toLowerCase() === 'totp') throw new VkError('invalid_request', 'use ?attribute=otp for the current code');
  const value = lookup(entry.fields, field);
  if (value === undefined || value === '') throw new VkError('not_found', `no field named ${field.slice(0, 100)} in that entry`);
  return value;
}

/** Names of the fields that are set, in the form `readField` accepts (the TOTP seed is `hasTotp`). */
export function fieldNames(fields: EntryFields): readonly string[] {
  const names: string[] = [];
  if (fields.username) names.push('username');
  if (fields.password) names.push('password');
  if (fields.urls?.[0]) names.push('url');
  if (fields.apiKey) names.push('api_key');
  if (fields.sshPublicKey) names.push('public_key');
  if (fields.notes) names.push('notes');
  for (const c of fields.custom ?? []) if (c.value !== '') names.push(`${CUSTOM_PREFIX}${c.name}`);
  return names;
}
