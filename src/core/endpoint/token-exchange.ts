/**
 * RFC 8693 token exchange: an agent mints a narrower, no-longer-lived token for a sub-agent.
 *
 * A request carries one DPoP proof, and there are two keys in play: the subject's (the agent that
 * holds the token) and the actor's (the sub-agent). The proof must come from the SUBJECT's key,
 * with a server nonce: so only the holder of the token and its key can mint sub-tokens, and a
 * stolen subject token alone mints nothing. `ath` of the subject token is welcome but optional,
 * since a standard client's token-endpoint proof carries none (RFC 9449 §4.2); one that names
 * another token is refused. The new token is bound to
 * the key the subject names in `actor_jkt` (the sub-agent's RFC 7638 thumbprint); the sub-agent
 * proves that key on every use. Naming a key it cannot use gives the subject nothing. A bearer
 * subject (the labelled opt-in) has no key to prove, so it needs no proof; its children are bound.
 *
 * Parameters: grant_type, subject_token, subject_token_type (access_token), actor_jkt,
 * actor_name (the sub-agent's name, 1..100), scope? (⊆ subject's), expires_in? (seconds, ≤
 * subject's remaining life), requested_token_type? (access_token only).
 */
import type { IssuedToken, TokenRecord } from '../agent/agent-services.js';
import type { AccessTokenClaims } from '../auth/access-token.js';
import { MAX_LIFESPAN_SECONDS, MIN_LIFESPAN_SECONDS } from '../../shared/model.js';
import { VkError, isVkError } from '../../shared/errors.js';
import { liveRecord, verifyKeyProof, verifyToken } from './authenticate.js';
import type { EndpointRequest } from './endpoint-context.js';
import { scopeParam, thumbprintParam } from './oauth-params.js';
import { optionalSeconds, param, requireParam, type RequestInput } from './request-body.js';
import { parseBody } from './wire-body.js';

export const ACCESS_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:access_token';
const CONTROL = /\p{Cc}/u;

export async function exchangeGrant(r: EndpointRequest, input: RequestInput): Promise<IssuedToken> {
  const request = exchangeRequest(await parseBody('tokenExchange', input));
  r.trail.presented = true;
  const { claims, record } = await subject(r, request.subjectToken);
  r.trail.tokenId = claims.jti;
  r.trail.agent = claims.client_id; // the current actor of an exchanged token, else the agent
  r.trail.keyThumbprint = record.jkt;
  if (claims.cnf !== undefined) await proveSubjectKey(r, request.subjectToken, claims.cnf.jkt);
  const { services } = r.state;
  if (services.paused()) throw new VkError('agents_paused');
  services.tokens.consume(record.id, services.clock());
  return services.tokens.exchange(record, {
    actorName: request.actorName,
    jkt: request.actorJkt,
    ...(request.scope === undefined ? {} : { scope: request.scope }),
    ...(request.lifespanSeconds === undefined ? {} : { lifespanSeconds: request.lifespanSeconds }),
  });
}

interface ExchangeRequest {
  readonly subjectToken: string;
  readonly actorJkt: string;
  readonly actorName: string;
  readonly scope: string | undefined;
  readonly lifespanSeconds: number | undefined;
}

function exchangeRequest(input: RequestInput): ExchangeRequest {
  if (requireParam(input, 'subject_token_type') !== ACCESS_TOKEN_TYPE) throw new VkError('invalid_request', 'subject_token_type must be an access token');
  const requested = param(input, 'requested_token_type');
  if (requested !== undefined && requested !== ACCESS_TOKEN_TYPE) throw new VkError('invalid_request', 'only access tokens are issued');
  requireParam(input, 'actor_jkt');
  const actorJkt = thumbprintParam(input, 'actor_jkt') ?? '';
  const actorName = requireParam(input, 'actor_name').trim();
  if (actorName.length === 0 || [...actorName].length > 100 || CONTROL.test(actorName)) throw new VkError('invalid_request', 'actor_name must be 1 to 100 characters');
  return {
    subjectToken: requireParam(input, 'subject_token'),
    actorJkt,
    actorName,
    scope: scopeParam(input, false),
    lifespanSeconds: optionalSeconds(input, 'expires_in', MIN_LIFESPAN_SECONDS, MAX_LIFESPAN_SECONDS),
  };
}

/** The subject token is verified fully (signature, claims, not revoked or expired); any failure is invalid_grant. */
async function subject(r: EndpointRequest, token: string): Promise<{ readonly claims: AccessTokenClaims; readonly record: TokenRecord }> {
  try {
    const claims = await verifyToken(r, token);
    return { claims, record: liveRecord(r, claims) };
  } catch (e) {
    if (isVkError(e) && e.code === 'invalid_token') throw new VkError('invalid_grant', 'the subject token is not valid');
    throw e;
  }
}

/** A proof from the subject's own key (naming the subject token, if it names one); another key is an invalid proof here. */
async function proveSubjectKey(r: EndpointRequest, subjectToken: string, jkt: string): Promise<void> {
  try {
    await verifyKeyProof(r, { accessToken: subjectToken, athOptional: true, expectedJkt: jkt });
  } catch (e) {
    if (isVkError(e) && e.code === 'invalid_token') throw new VkError('invalid_dpop_proof', 'the proof must come from the subject token’s key');
    throw e;
  }
}
