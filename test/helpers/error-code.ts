/** The code of the VkError a call throws (or a promise rejects with), or a marker when none is thrown; anything else is rethrown. */
import { VkError, type ErrorCode } from '../../src/shared/errors.js';

export async function errorCode(promise: Promise<unknown>): Promise<ErrorCode | 'no error'> {
  try {
    await promise;
  } catch (e) {
    if (e instanceof VkError) return e.code;
    throw e;
  }
  return 'no error';
}

export function syncErrorCode(fn: () => unknown): ErrorCode | 'no error' {
  try {
    fn();
  } catch (e) {
    if (e instanceof VkError) return e.code;
    throw e;
  }
  return 'no error';
}
