import { describe, expect, it } from 'vitest';
import { validateInjection } from '../../../src/core/vault/injection-validation.js';

describe('the proxy injection setting', () => {
  it('accepts a header line with {value} or a query parameter, normalised', () => {
    expect(validateInjection({ header: ' Authorization :  Bearer {value}' })).toEqual({ header: 'Authorization: Bearer {value}' });
    expect(validateInjection({ header: 'X-Api-Key: {value}' })).toEqual({ header: 'X-Api-Key: {value}' });
    expect(validateInjection({ query: 'api_key' })).toEqual({ query: 'api_key' });
    expect(validateInjection(undefined)).toBeUndefined();
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
      'Authorization: {value}',
    ]) {
      expect(() => validateInjection(bad), JSON.stringify(bad)).toThrow(/injection/);
    }
  });
});
