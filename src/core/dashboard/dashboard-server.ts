/**
 * Headless mode's browser dashboard: the built React app and the admin API on 127.0.0.1, behind
 * a one-time login URL that hands the tab a secret of its own (in the redirect's fragment). Every
 * request is checked in this order: Host (DNS rebinding), Origin (must be this dashboard's own,
 * and present on anything but GET/HEAD), then the tab's secret in the `x-valetkey-tab` header.
 * No cookie is set or read: browsers send cookies to every 127.0.0.1 port, so another local
 * server would receive them. The static app is served to anyone on loopback (it holds no data);
 * the admin routes are the admin transport's own handler (src/core/admin/transport), with the tab
 * header in place of the session secret header; nothing per method is written here.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ADMIN_HTTP, ADMIN_METHODS, type AdminMethod, type AdminResult } from '../../shared/admin-api.js';
import { CONTENT_SECURITY_POLICY } from '../../shared/csp.js';
import { VkError } from '../../shared/errors.js';
import { RefusalLimiter } from '../audit/refusal-limiter.js';
import { AdminEventStreams } from '../admin/transport/admin-event-stream.js';
import { createAdminHandler, type AdminRequestAuth } from '../admin/transport/admin-request-handler.js';
import { ListenerRefused, checkHostHeader, errorResponse, sendJson } from '../net/listener-checks.js';
import { sessionOf, tabCaller, type Dashboard, type DashboardServerOptions } from './dashboard-context.js';
import { sendPage } from './dashboard-pages.js';
import { dashboardRoute, loginRoute } from './dashboard-routes.js';
import { defaultRendererDir, isBuilt, resolveStatic, sendFile } from './static-files.js';

export interface DashboardServer {
  readonly port: number;
  /** `http://127.0.0.1:PORT` */
  readonly origin: string;
  readonly rendererDir: string;
  /** False when the renderer has not been built: pages then say to run `npm run build`. */
  readonly built: boolean;
  close(): Promise<void>;
}

const SECURITY_HEADERS = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Frame-Options': 'DENY',
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-store',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
} as const;

export type { DashboardServerOptions } from './dashboard-context.js';

export async function startDashboardServer(options: DashboardServerOptions): Promise<DashboardServer> {
  // Filled in once the port is known, like the Host check's port (both before any request).
  const ownOrigins: string[] = [];
  const d: Dashboard = {
    o: options,
    rendererDir: options.rendererDir ?? defaultRendererDir(),
    streams: new AdminEventStreams(options.events),
    loginRefusals: new RefusalLimiter({ perMinute: 10 }),
    port: 0,
  };
  const admin = createAdminHandler({
    dispatch: options.dispatch,
    streams: d.streams,
    // Never matched: `auth` (the tab header) replaces the session-secret header on this listener.
    sessionDigest: randomBytes(32),
    allowedOrigins: ownOrigins,
    via: 'http',
    checkHost: (raw) => checkHostHeader(raw, d.port),
    auth: tabAuth(d),
  });
  const server = createServer({ requireHostHeader: false }, (req, res) => {
    handle(d, admin, req, res).catch((e: unknown) => sendFailure(res, e));
  });
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;
  await listen(server, options.port ?? 0);
  d.port = (server.address() as AddressInfo).port;
  const origin = `http://127.0.0.1:${d.port}`;
  ownOrigins.push(origin, `http://localhost:${d.port}`, `http://[::1]:${d.port}`);
  options.logins.serve(origin);
  return {
    port: d.port,
    origin,
    rendererDir: d.rendererDir,
    built: isBuilt(d.rendererDir),
    close: async () => {
      options.logins.stopServing();
      d.streams.endAll();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

async function handle(d: Dashboard, admin: RequestListener, req: IncomingMessage, res: ServerResponse): Promise<void> {
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value);
  admitBrowser(d, req);
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const path = q === -1 ? url : url.slice(0, q);
  if (path.startsWith(ADMIN_HTTP.prefix)) return admin(req, res);
  if (path === '/login') return loginRoute(d, req, res, q === -1 ? '' : url.slice(q + 1));
  // Only the login link carries a query: a secret in any other URL would end up in histories.
  if (q !== -1) throw new VkError('invalid_request', 'query strings are not accepted');
  if (path.startsWith('/dashboard/')) return dashboardRoute(d, req, res, path);
  return staticRoute(d, req, res, path);
}

/**
 * Host, then Origin. A browser sends Origin on every POST, so one that is missing there is not
 * our page; and when present on any request, it must be the origin the page was loaded from.
 */
function admitBrowser(d: Dashboard, req: IncomingMessage): void {
  const host = checkHostHeader(req.rawHeaders, d.port);
  if (host === 'missing_or_repeated') throw new VkError('bad_host');
  if (host === 'forbidden') throw new VkError('forbidden_host');
  const origin = req.headers.origin;
  const safeMethod = req.method === 'GET' || req.method === 'HEAD';
  if (origin === undefined && safeMethod) return;
  if (origin !== `http://${(req.headers.host ?? '').trim().toLowerCase()}`) throw new VkError('forbidden_origin');
}

function staticRoute(d: Dashboard, req: IncomingMessage, res: ServerResponse, path: string): void {
  if (req.method !== 'GET' && req.method !== 'HEAD') throw new VkError('method_not_allowed');
  req.resume();
  if (!isBuilt(d.rendererDir)) return sendPage(res, 'notBuilt');
  const file = resolveStatic(d.rendererDir, path);
  if (file === undefined) return sendPage(res, 'notFound', d.rendererDir);
  sendFile(res, file);
}

/**
 * The admin transport's auth on this listener: the tab's secret, and for grant methods called
 * without a proof, the grant session the engine keeps bound to that tab.
 */
function tabAuth(d: Dashboard): AdminRequestAuth {
  return {
    admit: (req) => {
      if (sessionOf(d, req) === undefined) throw new VkError('unauthorized', 'the dashboard session has ended: run `valetkey dashboard-url` for a new login link');
    },
    params: (req, method, params) => {
      refusePaths(method, params);
      if (ADMIN_METHODS[method] !== 'grant' || params['grant'] !== undefined) return params;
      const tab = sessionOf(d, req);
      const session = tab === undefined ? undefined : d.o.logins.grantOf(tab);
      return session === undefined ? params : { ...params, grant: { session } };
    },
    caller: (req) => {
      const tab = sessionOf(d, req);
      return tab === undefined ? undefined : tabCaller(tab);
    },
  };
}

/**
 * A browser names files only by upload id: a page (or a script injected into one) must not make
 * the engine read whatever path it likes on this machine.
 */
function refusePaths(method: AdminMethod, params: Readonly<Record<string, unknown>>): void {
  if ((method === 'previewImport' || method === 'runImport') && params['path'] !== undefined) {
    throw new VkError('invalid_request', 'the browser dashboard imports uploaded files only: drop the file or choose it');
  }
}

/** Errors outside the admin routes, in the same `{ok: false, error}` shape the admin routes answer. */
export function sendFailure(res: ServerResponse, e: unknown): void {
  const { status, wire } = errorResponse(e);
  if (res.headersSent) {
    res.destroy();
    return;
  }
  sendJson(res, status, { ok: false, error: wire } satisfies AdminResult<never>);
}

function listen(server: Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (e: NodeJS.ErrnoException): void => {
      reject(e.code === 'EADDRINUSE' ? new ListenerRefused(`Refusing to start the dashboard: 127.0.0.1:${port} is already in use. Pick another port.`) : e);
    };
    server.once('error', onError);
    server.listen({ host: '127.0.0.1', port }, () => {
      server.off('error', onError);
      resolve();
    });
  });
}
