/**
 * One request on the admin listener, in the order docs/security.md fixes: Host, then Origin, then the
 * session secret, then the route. Routes are derived from ADMIN_METHODS: `POST /admin/v1/<method>`
 * with a JSON object of params, answered as an AdminResult.
 */
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, OutgoingHttpHeaders, RequestListener, ServerResponse } from 'node:http';
import { ADMIN_HTTP, isAdminMethod, type AdminDispatcher, type AdminMethod, type AdminResult, type CallContext } from '../../../shared/admin-api.js';
import { VkError } from '../../../shared/errors.js';
import { checkOrigin, errorResponse, readJsonBody, sendJson, type HostCheck } from '../../net/listener-checks.js';
import type { AdminEventStreams } from './admin-event-stream.js';
import { sha256 } from './session-digest.js';

export interface AdminHandlerOptions {
  readonly dispatch: AdminDispatcher;
  readonly streams: AdminEventStreams;
  readonly sessionDigest: Buffer;
  readonly allowedOrigins: readonly string[];
  readonly via: 'http' | 'socket';
  readonly checkHost: (rawHeaders: readonly string[]) => HostCheck;
  /** Replaces the session-secret header check when set (the headless dashboard authenticates by cookie). */
  readonly auth?: AdminRequestAuth;
}

/** Another way to authenticate admin requests, and what it adds to their params. */
export interface AdminRequestAuth {
  /** Throws a VkError (unauthorized) unless the request may call. */
  admit(req: IncomingMessage): void;
  /** The params the engine sees; the dashboard adds the tab's grant session here. */
  params?(req: IncomingMessage, method: AdminMethod, params: Readonly<Record<string, unknown>>): Readonly<Record<string, unknown>>;
  /** Who calls, for per-caller passphrase limits (one dashboard tab); default: the transport. */
  caller?(req: IncomingMessage): string | undefined;
}

export function createAdminHandler(options: AdminHandlerOptions): RequestListener {
  // This transport never vouches for a person: grants need the passphrase (docs/security.md).
  const ctx: CallContext = Object.freeze({ via: options.via, personPresent: false });
  return (req, res) => {
    handle(options, ctx, req, res).catch((e: unknown) => sendAdminError(res, e));
  };
}

async function handle(o: AdminHandlerOptions, ctx: CallContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  admit(o, req);
  const url = req.url ?? '/';
  // Nothing here takes a query, and a secret in a URL ends up in histories and logs.
  if (url.includes('?')) throw new VkError('invalid_request', 'query strings are not accepted');
  if (url === ADMIN_HTTP.events) {
    if (req.method !== 'GET') return sendAdminError(res, new VkError('method_not_allowed'), { Allow: 'GET' });
    return o.streams.attach(req, res);
  }
  const method = url.startsWith(ADMIN_HTTP.prefix) ? url.slice(ADMIN_HTTP.prefix.length) : '';
  if (!isAdminMethod(method)) throw new VkError('not_found');
  if (req.method !== 'POST') return sendAdminError(res, new VkError('method_not_allowed'), { Allow: 'POST' });
  const params = await readJsonBody(req);
  if (typeof params !== 'object' || params === null || Array.isArray(params)) {
    throw new VkError('invalid_request', 'the body must be a JSON object of params');
  }
  const caller = o.auth?.caller?.(req);
  const value = await o.dispatch(method, o.auth?.params?.(req, method, params as Readonly<Record<string, unknown>>) ?? params, caller === undefined ? ctx : { ...ctx, caller });
  sendJson(res, 200, { ok: true, value } satisfies AdminResult<unknown>);
}

/** Host, Origin and session secret, in that order; throws the first failure. */
function admit(o: AdminHandlerOptions, req: IncomingMessage): void {
  const host = o.checkHost(req.rawHeaders);
  if (host === 'missing_or_repeated') throw new VkError('bad_host');
  if (host === 'forbidden') throw new VkError('forbidden_host');
  if (!checkOrigin(req.headers, o.allowedOrigins)) throw new VkError('forbidden_origin');
  if (o.auth !== undefined) return o.auth.admit(req);
  if (!sessionMatches(o.sessionDigest, req.headers[ADMIN_HTTP.sessionHeader])) throw new VkError('unauthorized');
}

/** Constant time: both sides are hashed first, so lengths match and nothing leaks through timing. */
function sessionMatches(expected: Buffer, presented: string | string[] | undefined): boolean {
  if (typeof presented !== 'string') return false;
  return timingSafeEqual(expected, sha256(presented));
}

function sendAdminError(res: ServerResponse, e: unknown, extraHeaders: OutgoingHttpHeaders = {}): void {
  const { status, wire } = errorResponse(e);
  if (res.headersSent) {
    res.destroy();
    return;
  }
  // After a 413 the rest of the body is not worth reading: close instead of draining it.
  const close: OutgoingHttpHeaders = wire.error === 'payload_too_large' ? { Connection: 'close' } : {};
  sendJson(res, status, { ok: false, error: wire } satisfies AdminResult<never>, { ...extraHeaders, ...close });
}
