import { describe, expect, it } from 'vitest';
import { secretForms } from '../../../src/core/fetch/secret-forms.js';
import { SecretMatcher, redactBytes } from '../../../src/core/fetch/secret-matcher.js';

const VALUE = 'p@ss word/+=é7731';

function redact(text: string, value = VALUE): string {
  const matcher = new SecretMatcher([{ value, replacement: '[X]' }]);
  return redactBytes(matcher, Buffer.from(text, 'utf8')).bytes.toString('utf8');
}

describe('secretForms', () => {
  it('includes the value, its base64/base64url, URL, form and JSON-escaped forms, longest first', () => {
    const forms = secretForms(VALUE);
    expect(forms).toContain(VALUE);
    expect(forms).toContain(Buffer.from(VALUE).toString('base64'));
    expect(forms).toContain(Buffer.from(VALUE).toString('base64url'));
    expect(forms).toContain(encodeURIComponent(VALUE));
    expect(forms).toContain(new URLSearchParams({ v: VALUE }).toString().slice(2));
    expect(forms).toContain(encodeURIComponent(VALUE).replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase()));
    expect([...forms].sort((a, b) => b.length - a.length)).toEqual(forms);
    expect(secretForms('')).toEqual([]);
  });

  it('finds the value inside a larger base64 string at every alignment', () => {
    for (const prefix of ['', 'a', 'ab', 'abc', 'user:', 'Basic x']) {
      for (const suffix of ['', '!', '!!', '!!!']) {
        const encoded = Buffer.from(`${prefix}${VALUE}${suffix}`).toString('base64');
        const out = redact(`token=${encoded};`);
        expect(out, `${prefix}|${suffix}`).toContain('[X]');
        // What is left of the encoding can no longer be decoded back to the value.
        expect(Buffer.from(out.replace(/[^A-Za-z0-9+/=]/g, ''), 'base64').toString('utf8')).not.toContain(VALUE);
      }
    }
  });

  it('leaves text without the value untouched, byte for byte (binary too)', () => {
    const bytes = Buffer.from([0, 255, 0xc3, 0x28, 10, 13, 0x80]);
    const matcher = new SecretMatcher([{ value: VALUE, replacement: '[X]' }]);
    expect(redactBytes(matcher, bytes).bytes.equals(bytes)).toBe(true);
    expect(redact('nothing to see here, p@ss but not the rest')).toBe('nothing to see here, p@ss but not the rest');
  });

  it('redacts URL-encoded and JSON-escaped forms', () => {
    expect(redact(`https://x.test/?k=${encodeURIComponent(VALUE)}&z=1`)).toBe('https://x.test/?k=[X]&z=1');
    expect(redact(JSON.stringify({ v: 'a"b\\c' }), 'a"b\\c')).toBe('{"v":"[X]"}');
  });
});
