import { describe, expect, it } from 'vitest';
import { MAX_VK_REF_LENGTH, parseVkRef } from '../../../src/core/endpoint/vk-ref.js';
import { VkError } from '../../../src/shared/errors.js';

describe('parseVkRef', () => {
  it('reads vault, entry and field by name or id', () => {
    expect(parseVkRef('vk://Accounting/Bank/password')).toEqual({
      text: 'vk://Accounting/Bank/password',
      vault: 'Accounting',
      entry: 'Bank',
      field: 'password',
      attribute: null,
    });
    expect(parseVkRef('vk://abcdefghijklmnopqrstuvwxyz/a234567abcdefghijklmnopqrs/api_key')).toMatchObject({
      vault: 'abcdefghijklmnopqrstuvwxyz',
      entry: 'a234567abcdefghijklmnopqrs',
    });
  });

  it('decodes percent-encoded segments, so names may hold / ? # % and spaces', () => {
    const ref = parseVkRef('vk://Team%20Ops/AWS%2Fprod%3F%23/custom%3ARegion%25');
    expect(ref).toMatchObject({ vault: 'Team Ops', entry: 'AWS/prod?#', field: 'custom:Region%' });
    expect(parseVkRef('vk://Caf%C3%A9/x/y').vault).toBe('Café');
  });

  it('accepts ?attribute=otp with or without a TOTP field name', () => {
    expect(parseVkRef('vk://Work/GitHub?attribute=otp')).toMatchObject({ entry: 'GitHub', field: null, attribute: 'otp' });
    expect(parseVkRef('vk://Work/GitHub/totp?attribute=otp')).toMatchObject({ field: null, attribute: 'otp' });
    expect(parseVkRef('VK://Work/GitHub/One-Time%20Password?attribute=OTP').attribute).toBe('otp');
  });

  it.each([
    ['not a string', 42],
    ['another scheme', 'op://Work/GitHub/password'],
    ['no scheme', 'Work/GitHub/password'],
    ['too few segments', 'vk://Work/GitHub'],
    ['only a vault', 'vk://Work'],
    ['too many segments', 'vk://Work/GitHub/section/password'],
    ['an empty segment', 'vk://Work//password'],
    ['a trailing slash', 'vk://Work/GitHub/password/'],
    ['a blank segment', 'vk://Work/%20/password'],
    ['a fragment', 'vk://Work/GitHub/password#x'],
    ['an unknown query', 'vk://Work/GitHub/password?attribute=type'],
    ['two query parameters', 'vk://Work/GitHub?attribute=otp&x=1'],
    ['otp on a non-TOTP field', 'vk://Work/GitHub/password?attribute=otp'],
    ['bad percent-encoding', 'vk://Work/%E0%A4%A/password'],
    ['a huge reference', `vk://Work/GitHub/${'x'.repeat(MAX_VK_REF_LENGTH)}`],
  ])('refuses %s with invalid_request, never echoing it', (_label, text) => {
    let error: unknown;
    try {
      parseVkRef(text);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(VkError);
    expect((error as VkError).code).toBe('invalid_request');
    if (typeof text === 'string') expect((error as VkError).message).not.toContain(text.slice(5));
  });
});
