/**
 * Every failure the page shows is a VkError: errors from the Electron bridge ("code: description"
 * in the message), from fetch, or anything else are turned into one here, so a screen can say
 * what to do (the error's description) and branch on its stable code.
 */
import { VkError } from '../../shared/errors.js';
import { errorCodeOf } from '../error-code.js';

export function toVkError(error: unknown): VkError {
  if (error instanceof VkError) return error;
  const code = errorCodeOf(error);
  const result = new VkError(code);
  const message = typeof error === 'object' && error !== null ? (error as { message?: unknown }).message : undefined;
  const description = typeof message === 'string' ? /^[a-z_]+: ([\s\S]+)$/.exec(message)?.[1] : undefined;
  // Only the engine's own description, carried with a known code; never an arbitrary exception text.
  if (code !== 'internal_error' && description !== undefined) Object.defineProperty(result, 'message', { value: description });
  return result;
}

export function errorText(error: unknown): string {
  return toVkError(error).message;
}
