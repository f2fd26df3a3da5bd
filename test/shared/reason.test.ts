/** The one reason rule (docs/security.md): plain text, 1..300 characters, else refused before any work. */
import { describe, expect, it } from 'vitest';
import { VkError } from '../../src/shared/errors.js';
import { checkReason, reasonProblem } from '../../src/shared/reason.js';

export const NOT_TEXT_REASONS = [
  'a\nb', 'a\rb', 'a\r\nb', 'a\tb', 'a\u0000b', 'a\u001bb', 'a\u007fb', 'a\u0080b', 'a\u0085b', 'a\u009fb',
  'a\u202ab', 'a\u202bb', 'a\u202cb', 'a\u202db', 'a\u202eb', 'a\u2066b', 'a\u2067b', 'a\u2068b', 'a\u2069b',
  'a\u200eb', 'a\u200fb', 'a\u061cb',
];

describe('checkReason', () => {
  it.each(NOT_TEXT_REASONS)('refuses %j as invalid_request, without echoing it', (reason) => {
    expect(reasonProblem(reason)).toBe('not_text');
    const e = caught(() => checkReason(reason));
    expect(e.code).toBe('invalid_request');
    expect(e.message).not.toContain(reason);
  });

  it('refuses a trailing line break too (trimming must not hide it)', () => {
    expect(caught(() => checkReason('fine\n')).code).toBe('invalid_request');
  });

  it.each([undefined, 42, '', '   ', 'x'.repeat(301)])('refuses %j as reason_required', (reason) => {
    expect(caught(() => checkReason(reason)).code).toBe('reason_required');
  });

  it('passes plain text, trimmed, including non-Latin scripts and RTL letters', () => {
    expect(checkReason('  rotate the key — café 日本 שלום ')).toBe('rotate the key — café 日本 שלום');
    expect(checkReason('x'.repeat(300))).toBe('x'.repeat(300));
  });
});

function caught(f: () => unknown): VkError {
  try {
    f();
  } catch (e) {
    if (e instanceof VkError) return e;
    throw e;
  }
  throw new Error('expected a VkError');
}
