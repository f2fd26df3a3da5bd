/**
 * POST /v1/token (RFC 6749 §5): the device-code poll (RFC 8628 §3.4), redemption of an
 * enrollment code made in the app (ours), and token exchange for sub-agents (RFC 8693, see
 * token-exchange.ts). Errors are 400 JSON, DPoP ones included (RFC 9449 §8).
 */
import type { IssuedToken } from '../agent/agent-services.js';
import { VkError } from '../../shared/errors.js';
import { hasDpopHeader, verifyKeyProof } from './authenticate.js';
import type { EndpointRequest } from './endpoint-context.js';
import { sendOk } from './endpoint-response.js';
import { GRANT_TYPES } from './grant-types.js';
import { clientIdParam } from './oauth-params.js';
import { requireParam, type RequestInput } from './request-body.js';
import { ACCESS_TOKEN_TYPE, exchangeGrant } from './token-exchange.js';
import { parseBody } from './wire-body.js';

export async function tokenRoute(r: EndpointRequest, input: RequestInput): Promise<void> {
  const grantType = requireParam(input, 'grant_type');
  switch (grantType) {
    case GRANT_TYPES.deviceCode:
      return sendOk(r, tokenResponse(await deviceCodeGrant(r, input)));
    case GRANT_TYPES.enrollment:
      return sendOk(r, tokenResponse(await enrollmentGrant(r, input)));
    case GRANT_TYPES.tokenExchange:
      return sendOk(r, { ...tokenResponse(await exchangeGrant(r, input)), issued_token_type: ACCESS_TOKEN_TYPE });
    default:
      throw new VkError('unsupported_grant_type');
  }
}

/** The poll must be signed by the key that made the request; DeviceFlow compares the two. */
async function deviceCodeGrant(r: EndpointRequest, input: RequestInput): Promise<IssuedToken> {
  const form = await parseBody('deviceCode', input);
  const deviceCode = requireParam(form, 'device_code');
  const clientId = clientIdParam(form); // required of public clients (RFC 8628 §3.4); the key, not the name, is what binds
  // A device code is a credential: denied, expired, reused or guessed codes are refusal rows
  // (authorization_pending and slow_down are protocol answers and leave none).
  r.trail.presented = true;
  r.trail.agent = clientId;
  const jkt = await verifyKeyProof(r);
  if (r.state.services.paused()) throw new VkError('agents_paused');
  return r.state.services.device.poll(deviceCode, jkt);
}

/**
 * A one-time code from the app, redeemed with the agent's key. Without a DPoP header the key is
 * null, which TokenService accepts only for a token the person created as bearer.
 */
async function enrollmentGrant(r: EndpointRequest, input: RequestInput): Promise<IssuedToken> {
  const form = await parseBody('enrollment', input);
  const code = requireParam(form, 'enrollment_code');
  // The code alone names the token; a client_id, when sent, must be the token's name.
  const clientId = form.client_id === undefined ? undefined : clientIdParam(form);
  r.trail.presented = true; // a guessed code is worth a refusal row
  if (clientId !== undefined) r.trail.agent = clientId;
  const jkt = hasDpopHeader(r) ? await verifyKeyProof(r) : null;
  if (r.state.services.paused()) throw new VkError('agents_paused');
  return r.state.services.tokens.enroll(code, clientId, jkt);
}

/** RFC 6749 §5.1 with RFC 9449's token_type. */
function tokenResponse(issued: IssuedToken): Record<string, unknown> {
  return { access_token: issued.accessToken, token_type: issued.tokenType, expires_in: issued.expiresIn, scope: issued.scope };
}
