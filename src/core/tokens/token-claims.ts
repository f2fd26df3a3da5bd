/** The claims of the access token for a record (RFC 9068, RFC 9449 `cnf`, RFC 8693 `act`). */
import type { AccessTokenClaims, ActorClaim } from '../auth/access-token.js';
import type { TokenRecord } from '../agent/agent-services.js';

/**
 * `actors` are the names along the exchange chain, newest (the current actor) first. RFC 8693
 * §4.1 nests them the same way: the outermost `act` is the current actor, each inner `act` the
 * one before it.
 */
export function actClaim(actors: readonly string[]): ActorClaim | undefined {
  let claim: ActorClaim | undefined;
  for (const name of [...actors].reverse()) {
    claim = claim === undefined ? { sub: name, client_id: name } : { sub: name, client_id: name, act: claim };
  }
  return claim;
}

export function tokenClaims(token: TokenRecord, issuer: string, now: number): AccessTokenClaims {
  const act = actClaim(token.actors);
  // The client is whoever holds the token now: the current actor, else the agent it was made for.
  const clientId = token.actors[0] ?? token.name;
  return {
    iss: issuer,
    aud: issuer,
    sub: token.name,
    client_id: clientId,
    scope: token.scopeText,
    jti: token.id,
    iat: Math.floor(now / 1000),
    exp: Math.floor(token.expiresAt / 1000),
    ...binding(token),
    ...(act === undefined ? {} : { act }),
  };
}

function binding(token: TokenRecord): Pick<AccessTokenClaims, 'cnf' | 'vk_bearer'> {
  if (token.binding === 'bearer') return { vk_bearer: true };
  // A key-bound token without a key must never quietly become a bearer token.
  if (token.jkt === null) throw new TypeError('a DPoP-bound token needs the agent key thumbprint');
  return { cnf: { jkt: token.jkt } };
}
