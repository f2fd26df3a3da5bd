/**
 * POST /v1/proxy/certificate `{ host, publicKey }` → `{ certificate, expiresAt }`: a one-hour leaf
 * certificate for `host` over the proxy's own public key (SPKI, DER, base64), signed by the data
 * directory's CA. The CA key stays in the engine; the proxy gets leaves only for hosts it may
 * intercept with this token (docs/security.md, attack 98), so what it holds is worth one hour of
 * the hosts it could already use the secret for.
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

const HOST = /^(?:[a-z0-9-]{1,63}\.)*[a-z0-9-]{1,63}(?::\d{1,5})?$|^\d{1,3}(?:\.\d{1,3}){3}(?::\d{1,5})?$/;

export async function proxyCertificateRoute(r: EndpointRequest, input: RequestInput): Promise<void> {
  const { record } = await authenticate(r);
  const authority = typeof input.host === 'string' ? input.host.toLowerCase() : '';
  if (!HOST.test(authority) || authority.length > 260) throw new VkError('invalid_request', 'host must be a host name or IPv4 address, with an optional :port');
  const spki = publicKey(input.publicKey);
  const origin = new URL(`https://${authority}`);
  if (!hostAllowed(origin, interceptedHosts(r, record.scope))) throw new VkError('host_not_allowed');
  const leaf = r.state.services.proxyCa().issueLeaf(origin.hostname, spki);
  auditAllowed(r, { action: 'proxy.certificate', detail: { host: origin.host, expiresAt: leaf.expires } }).catch(ignoreAuditFailure);
  sendOk(r, { certificate: leaf.cert, expiresAt: leaf.expires });
}

/** An EC P-256 public key as SPKI DER; anything else is refused before it reaches the signer. */
function publicKey(value: unknown): Buffer {
  const bad = new VkError('invalid_request', 'publicKey must be a P-256 public key (SPKI, DER, base64)');
  if (typeof value !== 'string' || value.length > 400) throw bad;
  try {
    const key = createPublicKey({ key: Buffer.from(value, 'base64'), format: 'der', type: 'spki' });
    if (key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== 'prime256v1') throw bad;
    return key.export({ format: 'der', type: 'spki' });
  } catch {
    throw bad;
  }
}
