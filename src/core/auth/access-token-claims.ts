import { VkError } from '../../shared/errors.js';
import { parseScope } from './scopes.js';
import { isJsonObject } from '../../shared/json-object.js';

/** RFC 8693 §4.1 `act`: who acts for whom, newest actor outermost. */
export interface ActorClaim {
  readonly sub: string;
  readonly client_id?: string;
  readonly act?: ActorClaim;
}

/** The claims of a Valetkey access token (RFC 9068 plus `cnf`, `act` and our bearer label). */
export interface AccessTokenClaims {
  readonly iss: string;
  readonly sub: string;
  readonly aud: string;
  readonly client_id: string;
  readonly scope: string;
  readonly jti: string;
  readonly iat: number;
  readonly exp: number;
  /** RFC 9449 §6.1: thumbprint of the agent's DPoP key. Absent only on opted-in bearer tokens. */
  readonly cnf?: { readonly jkt: string };
  readonly act?: ActorClaim;
  /** The explicit, labelled opt-in for plain scripts: no key binding. */
  readonly vk_bearer?: true;
}

const JKT = /^[A-Za-z0-9_-]{43}$/; // base64url SHA-256
const MAX_ACT_DEPTH = 8;

/**
 * Checks the shape of verified (or about-to-be-signed) claims and copies out only the known
 * ones. Every failure is `invalid_token` with the fixed message: nothing from the token leaks.
 */
export function parseAccessTokenClaims(payload: Readonly<Record<string, unknown>>): AccessTokenClaims {
  const p = payload;
  const strings = [p.iss, p.sub, p.aud, p.client_id, p.scope, p.jti];
  if (!strings.every(isNonEmptyString)) throw new VkError('invalid_token');
  if (!isSeconds(p.iat) || !isSeconds(p.exp) || p.exp <= p.iat) throw new VkError('invalid_token');
  if (!isValidScope(p.scope as string)) throw new VkError('invalid_token');
  const binding = parseBinding(p.cnf, p.vk_bearer);
  const act = p.act === undefined ? undefined : parseActor(p.act, 0);
  return {
    iss: p.iss as string,
    sub: p.sub as string,
    aud: p.aud as string,
    client_id: p.client_id as string,
    scope: p.scope as string,
    jti: p.jti as string,
    iat: p.iat,
    exp: p.exp,
    ...binding,
    ...(act === undefined ? {} : { act }),
  };
}

/** Exactly one of: a key binding (`cnf.jkt`), or the bearer label with no `cnf` at all. */
function parseBinding(cnf: unknown, bearer: unknown): Pick<AccessTokenClaims, 'cnf' | 'vk_bearer'> {
  if (bearer === true) {
    if (cnf !== undefined) throw new VkError('invalid_token');
    return { vk_bearer: true };
  }
  if (bearer !== undefined || !isJsonObject(cnf)) throw new VkError('invalid_token');
  const jkt = cnf.jkt;
  if (typeof jkt !== 'string' || !JKT.test(jkt)) throw new VkError('invalid_token');
  return { cnf: { jkt } };
}

function parseActor(value: unknown, depth: number): ActorClaim {
  if (depth >= MAX_ACT_DEPTH || !isJsonObject(value) || !isNonEmptyString(value.sub)) throw new VkError('invalid_token');
  if (value.client_id !== undefined && !isNonEmptyString(value.client_id)) throw new VkError('invalid_token');
  const inner = value.act === undefined ? undefined : parseActor(value.act, depth + 1);
  return {
    sub: value.sub,
    ...(value.client_id === undefined ? {} : { client_id: value.client_id }),
    ...(inner === undefined ? {} : { act: inner }),
  };
}

function isValidScope(scope: string): boolean {
  try {
    parseScope(scope);
    return true;
  } catch {
    return false;
  }
}

function isNonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0;
}

function isSeconds(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value > 0;
}

