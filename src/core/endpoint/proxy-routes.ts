/**
 * The engine side of `valetkey proxy` (docs/security.md §12). The proxy holds the token, never a
 * secret: for a request to a host an entry allows, it sends the request as the client made it,
 * and the engine adds the secret as the entry's `injection` setting says (a header line with
 * `{value}`, or a query parameter), then runs /v1/fetch's own path: host check, approvals,
 * `secret.use` rows committed before sending, answer redacted.
 *
 * GET /v1/proxy/hosts → `{ hosts, caCertificate }`: the allowed hosts of entries the token may use
 * (or read) that have an injection setting, which the proxy intercepts (it tunnels or refuses the
 * rest), and the data directory's CA certificate its programs trust.
 * POST /v1/proxy/request `{ request: { method, url, headers?, body? }, reason }` → a FetchAnswer.
 */
import { VkError } from '../../shared/errors.js';
import type { EntryInjection, FetchRequestInput } from '../../shared/model.js';
import { parseFetchRequest } from '../fetch/fetch-request.js';
import { hostAllowed } from '../fetch/host-policy.js';
import { authenticate } from './authenticate.js';
import { auditAllowed, ignoreAuditFailure } from './endpoint-audit.js';
import type { EndpointRequest } from './endpoint-context.js';
import { sendOk } from './endpoint-response.js';
import { performFetch } from './perform-fetch.js';
import { injectingEntries, interceptedHosts, type Injecting } from './proxy-entries.js';
import { checkReason } from './oauth-params.js';
import type { RequestInput } from './request-body.js';

export async function proxyHostsRoute(r: EndpointRequest): Promise<void> {
  const { record } = await authenticate(r);
  const hosts = interceptedHosts(r, record.scope);
  auditAllowed(r, { action: 'entry.list', detail: { purpose: 'proxy-hosts', count: hosts.length } }).catch(ignoreAuditFailure);
  sendOk(r, { hosts, caCertificate: r.state.services.proxyCa().certPem });
}

export async function proxyRequestRoute(r: EndpointRequest, input: RequestInput): Promise<void> {
  const auth = await authenticate(r, { deferUse: true }); // counted once, in approveAll
  const reason = checkReason(input.reason);
  r.trail.reason = reason;
  const request = input.request as Partial<FetchRequestInput> | undefined;
  if (typeof request !== 'object' || request === null || typeof request.url !== 'string') throw new VkError('invalid_request', 'request must be an object { method, url, headers?, body? }');
  // Parsed once as sent, so the origin is checked before anything is added.
  const origin = parseFetchRequest({ ...request, headers: {} }).origin;
  const matching = injectingEntries(r, auth.record.scope).filter((e) => hostAllowed(origin, e.summary.allowedHosts));
  if (matching.length === 0) throw new VkError('host_not_allowed');
  if (matching.length > 1) throw new VkError('credential_ambiguous');
  const [chosen] = matching as [Injecting];
  const field = chosen.summary.fieldNames.includes('api_key') ? 'api_key' : 'password';
  const placeholder = `{{vk://${chosen.vault.id}/${chosen.summary.id}/${field}}}`;
  sendOk(r, await performFetch(r, auth, parseFetchRequest(inject(request, chosen.injection, placeholder)), reason));
}

/** The client's request with the placeholder added where the entry says; a header of that name from the client is replaced. */
function inject(request: Partial<FetchRequestInput>, injection: EntryInjection, placeholder: string): FetchRequestInput {
  const url = request.url ?? '';
  if ('query' in injection) {
    const hash = url.indexOf('#');
    const base = hash === -1 ? url : url.slice(0, hash);
    return { ...request, url: `${base}${base.includes('?') ? '&' : '?'}${injection.query}=${placeholder}` };
  }
  const colon = injection.header.indexOf(':');
  const name = injection.header.slice(0, colon).trim();
  const headers = Object.fromEntries(Object.entries(request.headers ?? {}).filter(([n]) => n.toLowerCase() !== name.toLowerCase()));
  headers[name] = injection.header.slice(colon + 1).trim().replaceAll('{value}', placeholder);
  return { ...request, url, headers };
}
