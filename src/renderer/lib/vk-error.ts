/**
 * Every failure the page shows is a VkError: the transports rebuild the engine's own from its
 * structured `{error, error_description}` (bridge-call.ts, browser-transport.ts); anything else
 * (a bug in the page, a failed fetch) becomes internal_error, so no arbitrary exception text is shown.
 */
import { VkError } from '../../shared/errors.js';

export function toVkError(error: unknown): VkError {
  return error instanceof VkError ? error : new VkError('internal_error');
}

export function errorText(error: unknown): string {
  return toVkError(error).message;
}
