/**
 * Turning an unexpected throw into `internal_error` without leaking it. A bug's message may quote
 * what it was working on (a JSON body, a passphrase), so only the error's class, its code and its
 * stack frames reach stderr, never its message.
 */
import { VkError, isVkError } from '../../shared/errors.js';

export function toVkError(e: unknown): VkError {
  if (isVkError(e)) return e;
  logBug(e);
  return new VkError('internal_error');
}

export function logBug(e: unknown): void {
  process.stderr.write(`valetkey: internal error: ${describe(e)}\n`);
}

function describe(e: unknown): string {
  if (!(e instanceof Error)) return typeof e;
  const code = (e as { code?: unknown }).code;
  const label = typeof code === 'string' ? `${e.name} ${code}` : e.name;
  // Drop the first line of the stack: it repeats the message.
  const frames = (e.stack ?? '').split('\n').filter((line) => line.trimStart().startsWith('at '));
  return [label, ...frames].join('\n');
}
