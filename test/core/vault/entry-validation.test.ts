import { describe, expect, it } from 'vitest';
import { VkError } from '../../../src/shared/errors.js';
import type { EntryInput } from '../../../src/shared/model.js';
import { validateEntryInput } from '../../../src/core/vault/entry-validation.js';

const SECRET = 'S3cr3t-do-not-echo';

function detailOf(input: unknown): string {
  try {
    validateEntryInput(input as EntryInput);
  } catch (e) {
    expect(e).toBeInstanceOf(VkError);
    expect((e as VkError).code).toBe('invalid_request');
    expect((e as VkError).message).not.toContain(SECRET);
    return (e as VkError).detail ?? '';
  }
  throw new Error('input was accepted');
}

const base = { title: 'T', kind: 'login', fields: {} };

describe('validateEntryInput', () => {
  it('keeps only known fields, drops empty ones, trims the title and normalises hosts', () => {
    const out = validateEntryInput({
      title: '  Mail  ',
      kind: 'login',
      fields: { username: 'me', password: '', urls: ['', 'https://a'], notes: undefined, extra: 'x' } as never,
      allowedHosts: ['Mail.Example.com:993', 'mail.example.com:993', '[::1]:8080', '10.0.0.1'],
    });
    expect(out).toEqual({
      title: 'Mail',
      kind: 'login',
      fields: { username: 'me', urls: ['https://a'] },
      allowedHosts: ['mail.example.com:993', '[::1]:8080', '10.0.0.1'],
    });
  });

  it.each([
    [{ ...base, title: '' }, 'The title is empty'],
    [{ ...base, title: 'x'.repeat(201) }, 'The title is 201 characters long; the most is 200'],
    [{ ...base, title: '   ' }, 'The title is only spaces'],
    [{ ...base, title: 7 }, 'The title must be text'],
    [{ ...base, kind: 'card' }, 'kind'],
    [{ ...base, fields: null }, 'fields'],
    [{ ...base, fields: { password: 42 } }, 'fields.password'],
    [{ ...base, fields: { password: SECRET.repeat(4000) } }, 'fields.password'],
    [{ ...base, fields: { notes: 'é'.repeat(33_000) } }, 'fields.notes'],
    [{ ...base, fields: { urls: 'https://a' } }, 'fields.urls'],
    [{ ...base, fields: { urls: Array.from({ length: 51 }, () => 'https://a') } }, 'fields.urls'],
    [{ ...base, fields: { totp: SECRET } }, 'TOTP'],
    [{ ...base, fields: { custom: [{ name: '', value: SECRET, hidden: true }] } }, 'The name of custom field 1 is empty'],
    [{ ...base, fields: { custom: [{ name: 'n'.repeat(101), value: SECRET, hidden: true }] } }, 'The name of custom field 1 is 101 characters long'],
    [{ ...base, fields: { custom: [{ name: 'A', value: SECRET, hidden: 'yes' }] } }, 'fields.custom[0].hidden'],
    [{ ...base, fields: { custom: [{ name: 'Pin', value: '1', hidden: true }, { name: 'PIN', value: SECRET, hidden: true }] } }, 'fields.custom[1].name'],
    [{ ...base, fields: { custom: Array.from({ length: 101 }, (_, i) => ({ name: `f${i}`, value: '', hidden: false })) } }, 'fields.custom'],
    [{ ...base, allowedHosts: ['https://api.example.com'] }, 'Allowed host 1 is written as a web address'],
    [{ ...base, allowedHosts: ['ok.example.com', 'api.example.com/v1'] }, 'Allowed host 2 has a path'],
    [{ ...base, allowedHosts: ['api.example.com:0'] }, 'Allowed host 1 has a port outside'],
    [{ ...base, allowedHosts: ['api.example.com:70000'] }, 'Allowed host 1 has a port outside'],
    [{ ...base, allowedHosts: ['user@api.example.com'] }, 'Allowed host 1 has a user name'],
    [{ ...base, allowedHosts: ['-bad-.example.com'] }, 'Allowed host 1 is not a host name'],
    [{ ...base, allowedHosts: ['[not-ipv6]'] }, 'Allowed host 1 is not a host name'],
    [{ ...base, allowedHosts: 'api.example.com' }, 'allowedHosts'],
  ])('refuses %# and names %s', (input, field) => {
    expect(detailOf(input)).toContain(field);
  });

  it('accepts the limits themselves', () => {
    const out = validateEntryInput({
      title: 'x'.repeat(200),
      kind: 'note',
      fields: { notes: 'n'.repeat(64 * 1024), custom: Array.from({ length: 100 }, (_, i) => ({ name: `f${i}`, value: 'v', hidden: false })) },
      allowedHosts: Array.from({ length: 50 }, (_, i) => `h${i}.example.com`),
    });
    expect(out.fields.custom).toHaveLength(100);
    expect(out.allowedHosts).toHaveLength(50);
  });
});
