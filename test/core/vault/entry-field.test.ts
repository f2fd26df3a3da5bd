import { describe, expect, it } from 'vitest';
import { VkError, type ErrorCode } from '../../../src/shared/errors.js';
import type { Entry, EntryFields } from '../../../src/shared/model.js';
import { fieldNames, readField } from '../../../src/core/vault/entry-field.js';

function entry(fields: EntryFields): Entry {
  return { id: 'e', vaultId: 'v', title: 't', kind: 'login', version: 1, fieldNames: [], hasTotp: false, allowedHosts: [], createdAt: '', updatedAt: '', fields };
}

function failure(e: Entry, field: string): { code: ErrorCode; detail: string | undefined } {
  try {
    readField(e, field);
  } catch (err) {
    if (err instanceof VkError) return { code: err.code, detail: err.detail };
    throw err;
  }
  throw new Error('field was read');
}

const full = entry({
  username: 'octo',
  password: 'pw',
  urls: ['https://one', 'https://two'],
  totp: 'GEZDGNBVGY3TQOJQ',
  apiKey: 'key-123',
  notes: 'note',
  custom: [
    { name: 'Region', value: 'eu', hidden: false },
    { name: 'password', value: 'shadowed', hidden: true },
    { name: 'Empty', value: '', hidden: false },
  ],
});

describe('readField', () => {
  it.each([
    ['username', 'octo'],
    ['PASSWORD', 'pw'],
    ['url', 'https://one'],
    ['notes', 'note'],
    ['api_key', 'key-123'],
    ['apikey', 'key-123'],
    ['credential', 'key-123'],
    ['region', 'eu'],
    ['custom:Region', 'eu'],
    ['custom:password', 'shadowed'],
  ])('%s → its value', (name, value) => {
    expect(readField(full, name)).toBe(value);
  });

  it('falls back to a custom field when a built-in name is empty', () => {
    expect(readField(entry({ custom: [{ name: 'Password', value: 'from-custom', hidden: true }] }), 'password')).toBe('from-custom');
  });

  it('never hands out the TOTP seed by name', () => {
    expect(failure(full, 'totp')).toEqual({ code: 'invalid_request', detail: 'use ?attribute=otp for the current code' });
    expect(failure(full, 'TOTP').code).toBe('invalid_request');
  });

  it('says which field is missing or empty', () => {
    expect(failure(full, 'pin')).toEqual({ code: 'not_found', detail: 'no field named pin in that entry' });
    expect(failure(full, 'Empty').code).toBe('not_found');
    expect(failure(entry({}), 'password').code).toBe('not_found');
    expect(failure(entry({ urls: [] }), 'url').code).toBe('not_found');
    expect(failure(full, 'toString').code).toBe('not_found');
  });
});

describe('fieldNames', () => {
  it('lists set fields by the names readField takes, never the TOTP seed', () => {
    expect(fieldNames(full.fields)).toEqual(['username', 'password', 'url', 'api_key', 'notes', 'custom:Region', 'custom:password']);
    for (const name of fieldNames(full.fields)) expect(readField(full, name)).not.toBe('');
    expect(fieldNames({})).toEqual([]);
  });
});
