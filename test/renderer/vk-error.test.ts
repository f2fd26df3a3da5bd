import { describe, expect, it } from 'vitest';
import { VkError } from '../../src/shared/errors.js';
import { errorText, toVkError } from '../../src/renderer/lib/vk-error.js';

describe('toVkError', () => {
  it('keeps a VkError as it is', () => {
    const e = new VkError('conflict', 'a vault named Work exists');
    expect(toVkError(e)).toBe(e);
    expect(errorText(e)).toBe(e.message);
  });

  it('never reads a code out of a message: errors arrive structured, so text that looks like one is just text', () => {
    const e = toVkError(new Error('passphrase_invalid: That passphrase is not correct.'));
    expect(e.code).toBe('internal_error');
  });

  it('never shows the text of an unknown exception (it could hold anything)', () => {
    const e = toVkError(new TypeError('secret-ish: cannot read property of undefined'));
    expect(e.code).toBe('internal_error');
    expect(e.message).not.toContain('secret-ish');
  });
});
