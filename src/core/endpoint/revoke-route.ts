/**
 * POST /v1/revoke (RFC 7009): an agent revokes its own token (and what was exchanged from it) on
 * shutdown. Holding the token is the only credential a revocation needs, so no proof is asked;
 * an unknown, foreign or malformed token is answered 200 all the same (§2.2), telling nothing.
 */
import type { EndpointRequest } from './endpoint-context.js';
import { sendOk } from './endpoint-response.js';
import { requireParam, type RequestInput } from './request-body.js';
import { parseBody } from './wire-body.js';

export async function revokeRoute(r: EndpointRequest, input: RequestInput): Promise<void> {
  const token = requireParam(await parseBody('revoke', input), 'token');
  await r.state.services.tokens.selfRevoke(token);
  sendOk(r, {});
}
