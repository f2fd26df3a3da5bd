/**
 * The engine side of `valetkey proxy` (docs/security.md §12). The proxy holds the token, never a
 * secret: for a request to a host an entry allows, it sends the request as the client made it,
 * and the engine adds the secret as the entry says for that host (`injectionByHost`, else
 * `injection`: a header line with `{value}`, a query parameter, or basic auth), then runs
 * /v1/fetch's own path: host check, approvals, `secret.use` rows committed before sending, answer
 * redacted.
 *
 * GET /v1/proxy/hosts → `{ hosts, caCertificate }`: the allowed hosts of entries the token may use
 * (or read) that have an injection setting, which the proxy intercepts (it tunnels or refuses the
 * rest), and the data directory's CA certificate its programs trust.
 * POST /v1/proxy/request `{ request: { method, url, headers?, body? }, reason }` → a FetchAnswer.
 */
import { VkError } from '../../shared/errors.js';
import type { EntryInjection } from '../../shared/model.js';
import type { WireBodyOf } from '../../shared/wire-schemas/wire-schemas.js';
import { parseFetchRequest, type OutgoingRequest } from '../fetch/fetch-request.js';
import { authenticate } from './authenticate.js';
import { auditAllowed, ignoreAuditFailure } from './endpoint-audit.js';
import type { EndpointRequest } from './endpoint-context.js';
import { sendOk } from './endpoint-response.js';
import { performFetch } from './perform-fetch.js';
import { injectingEntries, injectionFor, interceptedHosts, type Injecting } from './proxy-entries.js';
import { checkReason } from './oauth-params.js';
import type { RequestInput } from './request-body.js';
import { parseBody } from './wire-body.js';

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
  const { request } = await parseBody('proxyRequest', input);
  // Parsed once as sent, so the origin is checked before anything is added.
  const origin = parseFetchRequest({ ...request, headers: {} }).origin;
  const matching = injectingEntries(r, auth.record.scope).flatMap((e) => {
    const injection = injectionFor(e.summary, origin);
    return injection === undefined ? [] : [{ ...e, injection }];
  });
  if (matching.length === 0) throw new VkError('host_not_allowed');
  if (matching.length > 1) throw new VkError('credential_ambiguous');
  const [chosen] = matching as [Injecting & { injection: EntryInjection }];
  const ref = (field: string) => `{{vk://${chosen.vault.id}/${chosen.summary.id}/${field}}}`;
  const secret = ref(chosen.summary.fieldNames.includes('api_key') ? 'api_key' : 'password');
  const { request: filled, finish } = inject(request, chosen.injection, secret, ref('username'));
  sendOk(r, await performFetch(r, auth, parseFetchRequest(filled), reason, finish));
}

type Finish = (out: OutgoingRequest) => OutgoingRequest;
type ProxiedRequest = WireBodyOf<'proxyRequest'>['request'];

/**
 * The client's request with the placeholders added where the entry says; a header of that name
 * from the client is replaced. Basic auth is `username:secret` in base64 (RFC 7617), so the header
 * is encoded once the values are in.
 */
function inject(request: ProxiedRequest, injection: EntryInjection, secret: string, username: string): { request: ProxiedRequest; finish?: Finish } {
  const { url } = request;
  if ('query' in injection) {
    const hash = url.indexOf('#');
    const base = hash === -1 ? url : url.slice(0, hash);
    return { request: { ...request, url: `${base}${base.includes('?') ? '&' : '?'}${injection.query}=${secret}` } };
  }
  const [name, template] = 'basic' in injection ? ['Authorization', `${username}:${secret}`] : splitHeader(injection.header);
  const headers = Object.fromEntries(Object.entries(request.headers ?? {}).filter(([n]) => n.toLowerCase() !== name.toLowerCase()));
  headers[name] = template.replaceAll('{value}', secret);
  if (!('basic' in injection)) return { request: { ...request, url, headers } };
  const finish: Finish = (out) => ({ ...out, headers: { ...out.headers, authorization: `Basic ${Buffer.from(out.headers.authorization ?? '', 'utf8').toString('base64')}` } });
  return { request: { ...request, url, headers }, finish };
}

function splitHeader(line: string): [string, string] {
  const colon = line.indexOf(':');
  return [line.slice(0, colon).trim(), line.slice(colon + 1).trim()];
}
