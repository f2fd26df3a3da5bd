/**
 * A reason is text an agent writes for a person to read (in a prompt, in the audit log, in an
 * export line), so it must stay text: no control characters (C0, DEL, C1: a line break would
 * start a new record in a log file) and no bidi overrides or isolates (which make the prompt show
 * something else than what is stored). The engine checks this at every entrance; clients check it
 * before sending so the agent hears it sooner. The SDKs mirror this rule (sdk/js, sdk/python).
 */
import { VkError } from './errors.js';

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

/** The trimmed reason; throws reason_required (absent, empty, too long) or invalid_request (not plain text). */
export function checkReason(value: unknown): string {
  const problem = reasonProblem(value);
  if (problem === 'not_text') {
    throw new VkError('invalid_request', 'the reason must be one line of plain text: no line breaks, tabs, control characters or text-direction marks');
  }
  if (problem === 'missing') throw new VkError('reason_required');
  return (value as string).trim();
}
