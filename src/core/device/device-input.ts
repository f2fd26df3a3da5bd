/**
 * Checks what an agent sends to start a device request (RFC 8628 §3.1). Errors name the field,
 * never echo it: the agent's text is not trusted.
 */
import { VkError } from '../../shared/errors.js';
import { MAX_LIFESPAN_SECONDS, MIN_LIFESPAN_SECONDS } from '../../shared/model.js';
import { parseScope, type ScopeItem } from '../auth/scopes.js';

export const MAX_CLIENT_ID_LENGTH = 100;
export const MAX_REASON_LENGTH = 300;

export interface DeviceStartInput {
  readonly clientId: string;
  /** From a proof or `dpop_jkt`; null when the first poll's proof is to bind the key. */
  readonly jkt: string | null;
  readonly scope: string;
  readonly lifespanSeconds: number;
  readonly reason: string;
}

export interface CheckedStart {
  readonly clientId: string;
  readonly jkt: string | null;
  readonly items: readonly ScopeItem[];
  readonly lifespanSeconds: number;
  readonly reason: string;
}

// Control and format characters (and unassigned ones) would garble a prompt or a log line.
const UNPRINTABLE = /[\p{C}]/u;
const JKT = /^[A-Za-z0-9_-]{43}$/;

export function checkStart(input: DeviceStartInput): CheckedStart {
  const clientId = printable(input.clientId, MAX_CLIENT_ID_LENGTH);
  if (clientId === undefined) throw new VkError('invalid_request', `client_id must be 1 to ${MAX_CLIENT_ID_LENGTH} printable characters`);
  if (input.jkt !== null && (typeof input.jkt !== 'string' || !JKT.test(input.jkt))) throw new VkError('invalid_dpop_proof');
  const items = parseScope(input.scope);
  const lifespan = input.lifespanSeconds;
  if (!Number.isInteger(lifespan) || lifespan < MIN_LIFESPAN_SECONDS || lifespan > MAX_LIFESPAN_SECONDS) {
    throw new VkError('invalid_request', `lifespan must be a whole number of seconds from ${MIN_LIFESPAN_SECONDS} to ${MAX_LIFESPAN_SECONDS}`);
  }
  const reason = printable(input.reason, MAX_REASON_LENGTH, true);
  if (reason === undefined) throw new VkError('reason_required');
  return { clientId, jkt: input.jkt, items, lifespanSeconds: lifespan, reason };
}

/** Trimmed text of 1..max characters without control characters; line breaks allowed in reasons. */
function printable(value: unknown, max: number, allowNewlines = false): string | undefined {
  if (typeof value !== 'string') return undefined;
  const text = value.normalize('NFC').trim();
  // UTF-16 length, as the audit ledger counts it, so every accepted text fits its audit row.
  if (text.length < 1 || text.length > max) return undefined;
  const checked = allowNewlines ? text.replace(/\r?\n/g, ' ') : text;
  return UNPRINTABLE.test(checked) ? undefined : text;
}
