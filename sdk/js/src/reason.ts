/**
 * A reason is text an agent writes for a person to read (in a prompt, in the audit log, in an
 * export line), so it must stay text: 1..300 characters without control characters (C0, DEL, C1:
 * a line break would start a new record in a log file) or text-direction marks (which make the
 * prompt show something else than what is stored). The engine checks it at every entrance, with
 * this same rule (src/shared/reason.ts imports it); a client checks before sending so the agent
 * hears it sooner.
 */
import { makeError } from './errors.js';

export const MAX_REASON_LENGTH = 300;
// C0, DEL, C1; LRM, RLM, ALM; LRE, RLE, PDF, LRO, RLO; LRI, RLI, FSI, PDI.
const NOT_TEXT = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069]/u;

export type ReasonProblem = 'missing' | 'not_text';

/** What is wrong with a reason, or undefined when it is fine (after trimming). */
export function reasonProblem(value: unknown): ReasonProblem | undefined {
  if (typeof value !== 'string') return 'missing';
  if (NOT_TEXT.test(value)) return 'not_text';
  const reason = value.trim();
  // UTF-16 length, as the audit ledger counts it, so every accepted reason fits its audit row.
  if (reason.length === 0 || reason.length > MAX_REASON_LENGTH) return 'missing';
  return undefined;
}

/** The reason, trimmed; throws `invalid_request` for one that is not plain text, `reason_required` for an empty or long one. */
export function checkReason(value: string): string {
  const problem = reasonProblem(value);
  if (problem === 'not_text') {
    throw makeError('invalid_request', 'The reason must be one line of plain text: no line breaks, tabs, control characters or text-direction marks.', 400);
  }
  if (problem === 'missing') throw makeError('reason_required', 'Every secret access needs a reason of 1 to 300 characters.', 400);
  return value.trim();
}
