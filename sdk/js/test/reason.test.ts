/** The reason rule, mirrored from the engine (docs/security.md): checked before anything is sent. */
import { describe, expect, it } from 'vitest';
import { ValetkeyError } from '../src/index.js';
import { checkReason } from '../src/reason.js';

const NOT_TEXT = ['a\nb', 'a\rb', 'a\tb', 'a\u0000b', 'a\u007fb', 'a\u0085b', 'a\u202eb', 'a\u2066b', 'a\u2069b', 'a\u200eb', 'a\u200fb', 'a\u061cb', 'a\u202ab'];

describe('SDK reason check', () => {
  it.each(NOT_TEXT)('refuses %j as invalid_request without echoing it', (reason) => {
    const e = catchError(() => checkReason(reason));
    expect(e).toBeInstanceOf(ValetkeyError);
    expect(e.code).toBe('invalid_request');
    expect(e.message).not.toContain(reason);
  });

  it.each(['', '   ', 'x'.repeat(301)])('refuses %j as reason_required', (reason) => {
    expect(catchError(() => checkReason(reason)).code).toBe('reason_required');
  });

  it('passes plain text, trimmed', () => {
    expect(checkReason('  rotate the key — café 日本 ')).toBe('rotate the key — café 日本');
    expect(checkReason('x'.repeat(300))).toBe('x'.repeat(300));
  });
});

function catchError(f: () => unknown): ValetkeyError {
  try {
    f();
  } catch (e) {
    if (e instanceof ValetkeyError) return e;
    throw e;
  }
  throw new Error('expected a ValetkeyError');
}
