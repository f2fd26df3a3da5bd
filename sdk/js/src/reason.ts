/**
 * The engine's reason rule (src/shared/reason.ts in Valetkey), mirrored so an agent hears it
 * before anything is sent: a reason is 1..300 characters of plain text, without control
 * characters (line breaks included) or text-direction marks. The engine checks it again.
 */
import { makeError } from './errors.js';

const MAX_REASON_LENGTH = 300;
// C0, DEL, C1; LRM, RLM, ALM; LRE, RLE, PDF, LRO, RLO; LRI, RLI, FSI, PDI.
const NOT_TEXT = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069]/u;

/** The reason, trimmed; throws `invalid_request` for one that is not plain text, `reason_required` for an empty or long one. */
export function checkReason(value: string): string {
  if (NOT_TEXT.test(value)) {
    throw makeError('invalid_request', 'The reason must be one line of plain text: no line breaks, tabs, control characters or text-direction marks.', 400);
  }
  const reason = value.trim();
  if (reason.length === 0 || reason.length > MAX_REASON_LENGTH) {
    throw makeError('reason_required', 'Every secret access needs a reason of 1 to 300 characters.', 400);
  }
  return reason;
}
