/**
 * One request on the agent endpoint, in the order docs/security.md fixes: Host (before anything
 * else), Origin, the request line (no query: tokens never travel in a URL), the route and its
 * method, the body (media type, size), and only then the route, which authenticates. So a
 * request refused up to the body has had no side effect at all, and is not audited.
 */
import type { IncomingMessage, OutgoingHttpHeaders, RequestListener, ServerResponse } from 'node:http';
import { checkOrigin } from '../net/listener-checks.js';
import { VkError } from '../../shared/errors.js';
import { auditRefusal, unwrapRefusal } from './endpoint-audit.js';
import { AuditTrail, type EndpointRequest, type EndpointState, type Listener, type RouteSurface } from './endpoint-context.js';
import { sendEndpointError } from './endpoint-response.js';
import { deviceAuthorization } from './device-route.js';
import { PATHS } from './endpoint-paths.js';
import { serveAuthorizationServer, serveDevicePage, serveJwks, serveProtectedResource } from './metadata-routes.js';
import { readInput, type BodyKind, type RequestInput } from './request-body.js';
import { credentialRoute } from './credential-route.js';
import { fetchRoute } from './fetch-route.js';
import { resolveRoute } from './resolve-route.js';
import { proxyConnectRoute } from './proxy-connect-route.js';
import { proxyHostsRoute, proxyRequestRoute } from './proxy-routes.js';
import { revokeRoute } from './revoke-route.js';
import { listSshKeysRoute, sshSignRoute } from './ssh-routes.js';
import { tokenRoute } from './token-route.js';
import { entriesPathVault, listEntriesRoute, listVaultsRoute } from './vault-routes.js';

interface Route {
  readonly method: 'GET' | 'POST';
  readonly surface: RouteSurface;
  /** The audit action of the route's rows. */
  readonly action: string;
  readonly body?: BodyKind;
  readonly handle: (r: EndpointRequest, input: RequestInput) => Promise<void>;
}

const ROUTES: ReadonlyMap<string, Route> = new Map<string, Route>([
  [PATHS.authorizationServer, { method: 'GET', surface: 'metadata', action: 'metadata.read', handle: serveAuthorizationServer }],
  [PATHS.protectedResource, { method: 'GET', surface: 'metadata', action: 'metadata.read', handle: serveProtectedResource }],
  [PATHS.jwks, { method: 'GET', surface: 'metadata', action: 'metadata.read', handle: serveJwks }],
  [PATHS.device, { method: 'GET', surface: 'metadata', action: 'metadata.read', handle: serveDevicePage }],
  [PATHS.deviceAuthorization, { method: 'POST', surface: 'authorization', action: 'device.request', body: 'oauth', handle: deviceAuthorization }],
  [PATHS.token, { method: 'POST', surface: 'authorization', action: 'token.request', body: 'oauth', handle: tokenRoute }],
  [PATHS.revoke, { method: 'POST', surface: 'authorization', action: 'token.revoke', body: 'oauth', handle: revokeRoute }],
  [PATHS.vaults, { method: 'GET', surface: 'resource', action: 'vault.list', handle: listVaultsRoute }],
  [PATHS.resolve, { method: 'POST', surface: 'resource', action: 'secret.read', body: 'json', handle: resolveRoute }],
  [PATHS.fetch, { method: 'POST', surface: 'resource', action: 'secret.use', body: 'json', handle: fetchRoute }],
  [PATHS.credential, { method: 'POST', surface: 'resource', action: 'secret.read', body: 'json', handle: credentialRoute }],
  [PATHS.sshKeys, { method: 'GET', surface: 'resource', action: 'entry.list', handle: listSshKeysRoute }],
  [PATHS.sshSign, { method: 'POST', surface: 'resource', action: 'secret.use', body: 'json', handle: sshSignRoute }],
  [PATHS.proxyHosts, { method: 'GET', surface: 'resource', action: 'entry.list', handle: proxyHostsRoute }],
  [PATHS.proxyRequest, { method: 'POST', surface: 'resource', action: 'secret.use', body: 'json', handle: proxyRequestRoute }],
  [PATHS.proxyConnect, { method: 'POST', surface: 'resource', action: 'proxy.connect', body: 'json', handle: proxyConnectRoute }],
]);

export function createRequestHandler(listener: Listener, state: EndpointState): RequestListener {
  return (req, res) => {
    handle(listener, state, req, res).catch(() => res.destroy());
  };
}

async function handle(listener: Listener, state: EndpointState, req: IncomingMessage, res: ServerResponse): Promise<void> {
  let r: EndpointRequest = { req, res, listener, state, url: new URL(listener.base), surface: 'metadata', action: 'request', trail: new AuditTrail() };
  let extra: OutgoingHttpHeaders = {};
  try {
    const url = admit(r);
    const route = findRoute(url.pathname);
    r = { ...r, url, surface: route.surface, action: route.action };
    if (req.method !== route.method) {
      extra = { Allow: route.method };
      throw new VkError('method_not_allowed');
    }
    const input = route.body === undefined ? {} : await readInput(req, route.body);
    await route.handle(r, input);
  } catch (e) {
    const { error, target } = unwrapRefusal(e);
    auditRefusal(r, error, target);
    sendEndpointError(r, error, extra);
  }
}

/** Host, Origin, method OPTIONS and the request target; returns the URL on the listener's own base. */
function admit(r: EndpointRequest): URL {
  const host = r.listener.checkHost(r.req.rawHeaders);
  if (host === 'missing_or_repeated') throw new VkError('bad_host');
  if (host === 'forbidden') throw new VkError('forbidden_host');
  if (!checkOrigin(r.req.headers, r.state.allowedOrigins)) throw new VkError('forbidden_origin');
  // No preflight is ever answered with CORS headers: a browser gives up here.
  if (r.req.method === 'OPTIONS') throw new VkError('method_not_allowed');
  const target = r.req.url ?? '';
  if (!target.startsWith('/') || target.startsWith('//')) throw new VkError('invalid_request', 'the request target must be a path');
  const url = new URL(target, r.listener.base);
  // Nothing here takes a query, and a token in a URL ends up in histories and logs. The URL is never logged.
  if (url.search !== '' || target.includes('?')) throw new VkError('invalid_request', 'query strings are not accepted; send tokens in the Authorization header');
  return url;
}

function findRoute(pathname: string): Route {
  const fixed = ROUTES.get(pathname);
  if (fixed !== undefined) return fixed;
  const vaultRef = entriesPathVault(pathname);
  if (vaultRef === undefined) throw new VkError('not_found');
  return { method: 'GET', surface: 'resource', action: 'entry.list', handle: (r) => listEntriesRoute(r, vaultRef) };
}
