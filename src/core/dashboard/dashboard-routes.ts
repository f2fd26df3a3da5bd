/**
 * The dashboard's own routes, besides the admin API and the static app:
 *  - `GET /login?code=…`: spends a one-time code and redirects to `/#vk-tab=<session>`: the
 *    fragment never goes to a server, and the page moves it into its tab's sessionStorage and out
 *    of the address bar. No cookie: browsers send cookies to every loopback port;
 *  - `POST /dashboard/grant` `{passphrase, minutes?}`: opens a grant session (≤ 15 minutes) that
 *    stays in the engine, bound to the tab's session; the browser only learns when it ends;
 *  - `POST /dashboard/grant/close`: ends it; `POST /dashboard/logout`: ends the browser session;
 *  - `POST /dashboard/upload`: a dropped file, staged for an import (upload-route.ts).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { DASHBOARD_HTTP, UPLOAD_HTTP, type AdminResult, type CallContext } from '../../shared/admin-api.js';
import { VkError } from '../../shared/errors.js';
import { readJsonBody, sendJson } from '../net/listener-checks.js';
import { isJsonObject } from '../../shared/json-object.js';
import { sendPage } from './dashboard-pages.js';
import { sessionOf, tabCaller, type Dashboard } from './dashboard-context.js';
import { uploadRoute } from './upload-route.js';

// This listener never vouches for a person: grants need the passphrase (docs/security.md).
const CTX: CallContext = Object.freeze({ via: 'http', personPresent: false });

export async function loginRoute(d: Dashboard, req: IncomingMessage, res: ServerResponse, query: string): Promise<void> {
  if (req.method !== 'GET') throw new VkError('method_not_allowed');
  req.resume();
  const codes = new URLSearchParams(query).getAll('code');
  const [code] = codes;
  const session = codes.length === 1 && code !== undefined ? d.o.logins.redeem(code) : undefined;
  if (session === undefined) {
    await auditLoginRefused(d);
    return sendPage(res, 'loginRefused', d.rendererDir);
  }
  try {
    await d.o.audit({ actor: 'person', action: 'dashboard.login', outcome: 'ok', detail: { via: 'http' } });
  } catch (e) {
    // No audit row, no session: the person can mint a new link once the ledger works again.
    d.o.logins.endSession(session);
    throw e;
  }
  res.writeHead(303, { Location: `/#${DASHBOARD_HTTP.fragmentKey}=${session}`, 'Content-Length': 0 });
  res.end();
}

/** Refused logins are audited, but rate-limited: any web page can make a browser request this URL. */
async function auditLoginRefused(d: Dashboard): Promise<void> {
  const decision = d.loginRefusals.shouldLog('dashboard.login', Date.now());
  if (!decision.log) return;
  await d.o.audit({
    actor: 'engine',
    action: 'dashboard.login',
    outcome: 'refused',
    errorCode: 'invalid_grant',
    detail: { via: 'http', ...(decision.suppressedSinceLast > 0 ? { suppressed: decision.suppressedSinceLast } : {}) },
  });
}

export async function dashboardRoute(d: Dashboard, req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
  const route = ROUTES[path];
  if (route === undefined) throw new VkError('not_found');
  if (req.method !== 'POST') throw new VkError('method_not_allowed');
  const session = sessionOf(d, req);
  if (session === undefined) {
    throw new VkError('unauthorized', 'the dashboard session has ended: run `valetkey dashboard-url` for a new login link');
  }
  await route(d, req, res, session);
}

type Route = (d: Dashboard, req: IncomingMessage, res: ServerResponse, session: string) => Promise<void>;

const ROUTES: Readonly<Record<string, Route>> = {
  '/dashboard/grant': openGrant,
  [UPLOAD_HTTP.route]: uploadRoute,
  '/dashboard/grant/close': async (d, req, res, session) => {
    req.resume();
    const closed = await closeGrant(d, d.o.logins.takeGrant(session));
    answer(res, { closed });
  },
  '/dashboard/logout': async (d, req, res, session) => {
    req.resume();
    await closeGrant(d, d.o.logins.takeGrant(session));
    d.o.logins.endSession(session);
    await d.o.audit({ actor: 'person', action: 'dashboard.logout', outcome: 'ok', detail: { via: 'http' } });
    answer(res, { loggedOut: true });
  },
};

async function openGrant(d: Dashboard, req: IncomingMessage, res: ServerResponse, session: string): Promise<void> {
  const body = await readJsonBody(req);
  if (!isJsonObject(body)) throw new VkError('invalid_request', 'The body must be a JSON object with the passphrase.');
  // openGrantSession checks the passphrase (rate-limited per tab, audited either way) and the minutes (default: the most).
  const opened = (await d.o.dispatch('openGrantSession', { passphrase: body['passphrase'], minutes: body['minutes'] }, { ...CTX, caller: tabCaller(session) })) as { session: string; expiresAt: string };
  await closeGrant(d, d.o.logins.bindGrant(session, opened.session));
  answer(res, { expiresAt: opened.expiresAt });
}

async function closeGrant(d: Dashboard, grant: string | undefined): Promise<boolean> {
  if (grant === undefined) return false;
  const { closed } = (await d.o.dispatch('closeGrantSession', { session: grant }, CTX)) as { closed: boolean };
  return closed;
}

function answer(res: ServerResponse, value: unknown): void {
  sendJson(res, 200, { ok: true, value } satisfies AdminResult<unknown>);
}
