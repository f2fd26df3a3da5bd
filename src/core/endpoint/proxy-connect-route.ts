/**
 * POST /v1/proxy/connect `{ host, publicKey }`: the engine decides each CONNECT the HTTPS proxy
 * receives (docs/security.md, attacks 98–99).
 * * A host the token may intercept → `{ mode: 'intercept', certificate, expiresAt }`: a one-hour
 *   leaf for it over the proxy's own public key (SPKI, DER, base64), signed by the data
 *   directory's CA, whose key stays here.
 * * Any other host → `{ mode: 'tunnel' }`, or 403 `host_not_allowed` when the person set the token
 *   to refuse other hosts. The proxy may refuse more, never less. Both rows are audited.
 * Asked per CONNECT, so pause, revocation and expiry apply to the next connection.
 */
import { createPublicKey } from 'node:crypto';
import { VkError } from '../../shared/errors.js';
import { hostAllowed } from '../fetch/host-policy.js';
import { authenticate } from './authenticate.js';
import { auditAllowed, ignoreAuditFailure } from './endpoint-audit.js';
import type { EndpointRequest } from './endpoint-context.js';
import { sendOk } from './endpoint-response.js';
import { interceptedHosts } from './proxy-entries.js';
import type { RequestInput } from './request-body.js';
import { parseBody } from './wire-body.js';

const HOST = /^(?:[a-z0-9-]{1,63}\.)*[a-z0-9-]{1,63}(?::\d{1,5})?$|^\d{1,3}(?:\.\d{1,3}){3}(?::\d{1,5})?$/;

export async function proxyConnectRoute(r: EndpointRequest, input: RequestInput): Promise<void> {
  const { record } = await authenticate(r);
  const body = await parseBody('proxyConnect', input);
  const authority = body.host.toLowerCase();
  if (!HOST.test(authority) || authority.length > 260) throw new VkError('invalid_request', 'host must be a host name or IPv4 address, with an optional :port');
  const spki = publicKey(body.publicKey);
  const origin = new URL(`https://${authority}`);
  if (!hostAllowed(origin, interceptedHosts(r, record.scope))) {
    if (record.proxyOtherHosts === 'refuse') throw new VkError('host_not_allowed', 'no entry allows this host, and this token refuses other hosts');
    auditAllowed(r, { action: 'proxy.connect', detail: { host: origin.host, mode: 'tunnel' } }).catch(ignoreAuditFailure);
    return sendOk(r, { mode: 'tunnel' });
  }
  const leaf = r.state.services.proxyCa().issueLeaf(origin.hostname, spki);
  auditAllowed(r, { action: 'proxy.connect', detail: { host: origin.host, mode: 'intercept', expiresAt: leaf.expires } }).catch(ignoreAuditFailure);
  sendOk(r, { mode: 'intercept', certificate: leaf.cert, expiresAt: leaf.expires });
}

/** An EC P-256 public key as SPKI DER; anything else is refused before it reaches the signer. */
function publicKey(value: string): Buffer {
  const bad = new VkError('invalid_request', 'publicKey must be a P-256 public key (SPKI, DER, base64)');
  if (value.length > 400) throw bad;
  try {
    const key = createPublicKey({ key: Buffer.from(value, 'base64'), format: 'der', type: 'spki' });
    if (key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== 'prime256v1') throw bad;
    return key.export({ format: 'der', type: 'spki' });
  } catch {
    throw bad;
  }
}
