import { type ErrorCode, isErrorCode } from '../shared/errors.js';

/**
 * The stable code of an error that crossed the contextBridge ("code: description", see the
 * preload's toBridgeError), or of any VkError-like value; internal_error when there is none.
 */
export function errorCodeOf(error: unknown): ErrorCode {
  if (typeof error === 'object' && error !== null) {
    const { code, message } = error as { code?: unknown; message?: unknown };
    if (isErrorCode(code)) return code;
    const prefix = typeof message === 'string' ? /^([a-z_]+): /.exec(message)?.[1] : undefined;
    if (isErrorCode(prefix)) return prefix;
  }
  return 'internal_error';
}
