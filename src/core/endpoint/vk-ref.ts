/**
 * `vk://vault/entry/field` references (docs/design.md §5): the way agents, `valetkey run` and the SDKs
 * name one secret. Each segment is a name or an id, UTF-8 percent-encoded where it holds `/`,
 * `?`, `#`, `%` or a space. `?attribute=otp` asks for the entry's current TOTP code instead of a
 * field; the field segment may then be left out (`vk://Work/GitHub?attribute=otp`).
 */
import { VkError } from '../../shared/errors.js';

export interface VkRef {
  /** The reference exactly as given: the key of the answer in `/v1/resolve`. */
  readonly text: string;
  readonly vault: string;
  readonly entry: string;
  /** The field name; null only with `attribute: 'otp'`. */
  readonly field: string | null;
  readonly attribute: 'otp' | null;
}

export const MAX_VK_REF_LENGTH = 1024;
const SCHEME = 'vk://';
// The names 1Password and Bitwarden users reach for; anything else with ?attribute=otp is a mistake.
const OTP_FIELD_NAMES = ['totp', 'otp', 'one-time password'];
// Fixed text: a reference is not a secret, but it is the agent's input and is never echoed.
const SHAPE = 'a reference must look like vk://vault/entry/field or vk://vault/entry?attribute=otp';

export function parseVkRef(text: unknown): VkRef {
  if (typeof text !== 'string' || text.length > MAX_VK_REF_LENGTH) throw bad();
  if (text.slice(0, SCHEME.length).toLowerCase() !== SCHEME || text.includes('#')) throw bad();
  const rest = text.slice(SCHEME.length);
  const queryAt = rest.indexOf('?');
  const path = queryAt === -1 ? rest : rest.slice(0, queryAt);
  const attribute = queryAt === -1 ? null : parseQuery(rest.slice(queryAt + 1));
  const segments = path.split('/').map(decodeSegment);
  const [vault, entry, field] = segments;
  if (vault === undefined || entry === undefined || segments.length > 3) throw bad();
  if (field === undefined && attribute !== 'otp') throw bad();
  if (attribute === 'otp' && field !== undefined && !OTP_FIELD_NAMES.includes(field.trim().toLowerCase())) throw bad();
  return { text, vault, entry, field: attribute === 'otp' ? null : (field ?? null), attribute };
}

function parseQuery(query: string): 'otp' {
  if (query.toLowerCase() !== 'attribute=otp') throw bad();
  return 'otp';
}

function decodeSegment(raw: string): string {
  let decoded: string;
  try {
    decoded = decodeURIComponent(raw);
  } catch {
    throw bad(); // percent-encoding that is not UTF-8
  }
  if (decoded.trim().length === 0) throw bad();
  return decoded;
}

function bad(): VkError {
  return new VkError('invalid_request', SHAPE);
}
