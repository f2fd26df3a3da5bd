/** Parameter checks shared by the OAuth routes. Details name the parameter, never echo its value. */
import { VkError } from '../../shared/errors.js';
import { checkReason } from '../../shared/reason.js';
import { parseScope } from '../auth/scopes.js';
import { param, requireParam, type RequestInput } from './request-body.js';

const MAX_CLIENT_ID = 100;
const JKT = /^[A-Za-z0-9_-]{43}$/;
// Control characters would garble the prompt and the log lines that show a name or a reason.
const CONTROL = /\p{Cc}/u;

/** Agents are public clients: `client_id` is the name they chose, 1..100 characters. */
export function clientIdParam(input: RequestInput): string {
  const id = requireParam(input, 'client_id', 'invalid_client').trim();
  if (id.length === 0 || [...id].length > MAX_CLIENT_ID || CONTROL.test(id)) throw new VkError('invalid_client', 'client_id must be 1 to 100 characters');
  return id;
}

/** The one reason rule (src/shared/reason.ts), re-exported for the routes. */
export { checkReason };

/** The reason if it is a valid one, else null: for the refusal row of a request refused before its reason is checked. */
export function offeredReason(value: unknown): string | null {
  try {
    return checkReason(value);
  } catch {
    return null;
  }
}

/** A syntactically valid scope string (src/core/auth/scopes.ts); invalid_scope otherwise. */
export function scopeParam(input: RequestInput, required: boolean): string | undefined {
  const scope = param(input, 'scope');
  if (scope === undefined) {
    if (required) throw new VkError('invalid_scope', 'scope is required');
    return undefined;
  }
  parseScope(scope);
  return scope;
}

/** A key named by its RFC 7638 SHA-256 thumbprint (`dpop_jkt`, `actor_jkt`); undefined when absent. */
export function thumbprintParam(input: RequestInput, name: string): string | undefined {
  const value = param(input, name);
  if (value !== undefined && !JKT.test(value)) throw new VkError('invalid_request', `${name} must be an RFC 7638 SHA-256 thumbprint`);
  return value;
}
