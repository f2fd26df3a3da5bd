import { describe, expect, it } from 'vitest';
import { validateInjection, validateInjectionByHost } from '../../../src/core/vault/injection-validation.js';
import { hostInjectionFromText, injectionFromText, injectionText } from '../../../src/shared/injection-text.js';

describe('the proxy injection setting', () => {
  it('accepts a header line with {value} or a query parameter, normalised', () => {
    expect(validateInjection({ header: ' Authorization :  Bearer {value}' })).toEqual({ header: 'Authorization: Bearer {value}' });
    expect(validateInjection({ header: 'X-Api-Key: {value}' })).toEqual({ header: 'X-Api-Key: {value}' });
    expect(validateInjection({ query: 'api_key' })).toEqual({ query: 'api_key' });
    expect(validateInjection({ basic: true })).toEqual({ basic: true });
    expect(validateInjection(undefined)).toBeUndefined();
  });

  it('per host: only for the entry\'s allowed hosts (compared lower case); an empty map is none', () => {
    const hosts = ['api.example.com', 'uploads.example.com:8443'];
    expect(validateInjectionByHost({ 'API.example.com': { query: 'key' }, 'uploads.example.com:8443': { basic: true } }, hosts)).toEqual({ 'api.example.com': { query: 'key' }, 'uploads.example.com:8443': { basic: true } });
    expect(validateInjectionByHost({}, hosts)).toBeUndefined();
    expect(() => validateInjectionByHost({ 'evil.example': { query: 'key' } }, hosts)).toThrow(/not one of the entry's allowed hosts/);
    expect(() => validateInjectionByHost({ 'api.example.com': { header: 'Host: {value}' } }, hosts)).toThrow(/injection/);
    expect(() => validateInjectionByHost(['api.example.com'], hosts)).toThrow(/injectionByHost/);
  });

  it('reads and writes the text a person types: a header line, ?parameter, basic, and HOST=SETTING', () => {
    for (const text of ['Authorization: Bearer {value}', '?key', 'basic']) expect(injectionText(injectionFromText(text) ?? { query: 'none' })).toBe(text);
    expect(injectionFromText(' BASIC ')).toEqual({ basic: true });
    expect(injectionFromText('  ')).toBeUndefined();
    expect(hostInjectionFromText('api.example.com=X-Key: a=b {value}')).toEqual({ host: 'api.example.com', injection: { header: 'X-Key: a=b {value}' } });
    expect(hostInjectionFromText('api.example.com=')).toEqual({ host: 'api.example.com', injection: undefined });
    expect(hostInjectionFromText('=basic')).toBeUndefined();
  });

  it('refuses what could smuggle or misplace the secret: no {value}, line breaks, framing headers, both forms', () => {
    for (const bad of [
      { header: 'Authorization: Bearer' },
      { header: 'Authorization: {value}\r\nX-Other: 1' },
      { header: 'Host: {value}' },
      { header: 'Cookie: s={value}' },
      { header: 'Authorization: {{value}}' },
      { header: ': {value}' },
      { query: 'a&b' },
      { header: 'A: {value}', query: 'q' },
      { basic: 'yes' },
      { basic: true, query: 'q' },
      'Authorization: {value}',
    ]) {
      expect(() => validateInjection(bad), JSON.stringify(bad)).toThrow(/injection/);
    }
  });
});
