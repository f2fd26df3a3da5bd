/**
 * POST /v1/device_authorization (RFC 8628 §3.1-3.2): an agent asks a person for access. RFC 9449
 * defines no DPoP proof for this request, so none is required: the key is named by a proof sent
 * anyway (with a server nonce), or by `dpop_jkt` (RFC 9449 §10), or else by the first poll that
 * carries a proof. The token, if the person approves, is bound to that key, and every poll must be
 * signed by it.
 */
import { LIFESPAN_PRESETS, MAX_LIFESPAN_SECONDS, MIN_LIFESPAN_SECONDS } from '../../shared/model.js';
import { VkError } from '../../shared/errors.js';
import { hasDpopHeader, verifyKeyProof } from './authenticate.js';
import type { EndpointRequest } from './endpoint-context.js';
import { sendOk } from './endpoint-response.js';
import { PATHS } from './endpoint-paths.js';
import { checkReason, clientIdParam, scopeParam, thumbprintParam } from './oauth-params.js';
import { optionalSeconds, type RequestInput } from './request-body.js';
import { parseBody } from './wire-body.js';

export async function deviceAuthorization(r: EndpointRequest, input: RequestInput): Promise<void> {
  const form = await parseBody('deviceAuthorization', input);
  const clientId = clientIdParam(form);
  const scope = scopeParam(form, true) ?? '';
  const reason = checkReason(form.reason);
  const lifespanSeconds = optionalSeconds(form, 'lifespan', MIN_LIFESPAN_SECONDS, MAX_LIFESPAN_SECONDS) ?? LIFESPAN_PRESETS['1h'];
  const jkt = await requestKey(r, thumbprintParam(form, 'dpop_jkt'));
  // An agent asking for access: its refusals (rate limits, pause) are audited, rate-limited per source.
  r.trail.presented = true;
  r.trail.agent = clientId;
  if (r.state.services.paused()) throw new VkError('agents_paused');
  const started = await r.state.services.device.start({ clientId, jkt, scope, lifespanSeconds, reason });
  sendOk(r, {
    device_code: started.deviceCode,
    user_code: started.userCode,
    // A display URI for the person; approval happens in the app, which shows the same user code.
    verification_uri: `${r.state.issuer}${PATHS.device}`,
    expires_in: started.expiresIn,
    interval: started.interval,
  });
}

/** The proof's key if one was sent (it must match a `dpop_jkt` sent with it), else `dpop_jkt`, else none yet. */
async function requestKey(r: EndpointRequest, dpopJkt: string | undefined): Promise<string | null> {
  if (!hasDpopHeader(r)) {
    if (dpopJkt !== undefined) r.trail.keyThumbprint = dpopJkt;
    return dpopJkt ?? null;
  }
  const jkt = await verifyKeyProof(r);
  if (dpopJkt !== undefined && dpopJkt !== jkt) throw new VkError('invalid_dpop_proof', 'dpop_jkt must be the thumbprint of the proof’s key');
  return jkt;
}
