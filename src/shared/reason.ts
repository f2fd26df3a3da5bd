/**
 * The reason rule (one line of plain text, 1..300 characters) lives with the agent client in
 * sdk/js/src/reason.ts, so the engine and every client check the same thing; here it throws the
 * engine's own errors. The Python SDK mirrors it.
 */
import { reasonProblem } from '../../sdk/js/src/reason.js';
import { VkError } from './errors.js';

export { MAX_REASON_LENGTH, reasonProblem, type ReasonProblem } from '../../sdk/js/src/reason.js';

/** The trimmed reason; throws reason_required (absent, empty, too long) or invalid_request (not plain text). */
export function checkReason(value: unknown): string {
  const problem = reasonProblem(value);
  if (problem === 'not_text') {
    throw new VkError('invalid_request', 'the reason must be one line of plain text: no line breaks, tabs, control characters or text-direction marks');
  }
  if (problem === 'missing') throw new VkError('reason_required');
  return (value as string).trim();
}
