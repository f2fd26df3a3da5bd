/**
 * A real engine (SQLite in a temp dir) with the dashboard server in front of it, on a random
 * loopback port, serving a small stand-in renderer directory, plus raw-HTTP helpers that send
 * exactly the headers a test names (a browser's, or an attacker's).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDashboardServer, type DashboardServer } from '../../../src/core/dashboard/dashboard-server.js';
import { DASHBOARD_HTTP } from '../../../src/shared/admin-api.js';
import { openTestEngine, type TestEngine } from '../../helpers/engine-fixture.js';
import { rawRequest, type AgentResponse } from '../../helpers/agent-client.js';

export const INDEX_HTML =
  '<!doctype html><html><head><script type="module" src="./assets/app.js"></script><link rel="stylesheet" crossorigin href="./assets/app.css"></head><body><div id="root"></div></body></html>';

/**
 * The stand-in app's one job, as src/renderer/api/tab-session.ts does it: move the tab secret from
 * the login redirect's fragment into sessionStorage (key `valetkey.tab`) and out of the address bar.
 */
export const APP_JS = `const prefix = '#vk-tab=';
if (location.hash.startsWith(prefix)) {
  sessionStorage.setItem('valetkey.tab', location.hash.slice(prefix.length));
  history.replaceState(null, '', location.pathname);
}
`;

export interface DashboardFixture {
  readonly t: TestEngine;
  readonly server: DashboardServer;
  readonly rendererDir: string;
  /** ms added to the engine's clock */
  advance(ms: number): void;
  get(path: string, o?: RequestOptions): Promise<AgentResponse>;
  post(path: string, body: unknown, o?: RequestOptions): Promise<AgentResponse>;
  /** Log in with a fresh code; the tab secret (from the redirect's fragment) to send afterwards. */
  login(): Promise<string>;
  close(): Promise<void>;
}

export interface RequestOptions {
  /** The tab secret, sent in the `x-valetkey-tab` header. */
  readonly tab?: string;
  readonly cookie?: string;
  /** undefined: the dashboard's own origin on POST, none on GET; null: no Origin at all. */
  readonly origin?: string | null;
  readonly host?: string;
  readonly headers?: readonly string[];
  readonly contentType?: string;
  readonly method?: string;
}

export async function openDashboard(options: { built?: boolean } = {}): Promise<DashboardFixture> {
  let offset = 0;
  const t = await openTestEngine({ clock: () => Date.now() + offset });
  const rendererRoot = mkdtempSync(join(tmpdir(), 'vk-dash-'));
  const rendererDir = join(rendererRoot, 'renderer');
  mkdirSync(join(rendererDir, 'assets'), { recursive: true });
  if (options.built !== false) writeFileSync(join(rendererDir, 'index.html'), INDEX_HTML);
  writeFileSync(join(rendererDir, 'assets', 'app.js'), APP_JS);
  writeFileSync(join(rendererDir, 'assets', 'app.css'), 'body { margin: 0; }\n');
  writeFileSync(join(rendererRoot, 'outside.txt'), 'not part of the dashboard\n');
  const server = await startDashboardServer({
    dispatch: t.service.dispatch,
    events: (l) => t.engine.subscribe(l),
    logins: t.engine.dashboard,
    audit: (r) => t.engine.audit(r),
    uploads: t.engine.uploads,
    rendererDir,
  });
  const target = { via: 'tcp', port: server.port } as const;
  const send = (method: string, path: string, body: string | undefined, o: RequestOptions): Promise<AgentResponse> => {
    const headers: string[] = ['Host', o.host ?? `127.0.0.1:${server.port}`, ...(o.headers ?? [])];
    const origin = o.origin === undefined ? (method === 'GET' ? null : server.origin) : o.origin;
    if (origin !== null) headers.push('Origin', origin);
    if (o.tab !== undefined) headers.push(DASHBOARD_HTTP.tabHeader, o.tab);
    if (o.cookie !== undefined) headers.push('Cookie', o.cookie);
    if (body !== undefined) headers.push('Content-Type', o.contentType ?? 'application/json');
    return rawRequest(target, { method: o.method ?? method, path, headers, setHost: false, ...(body === undefined ? {} : { body }) });
  };
  const fixture: DashboardFixture = {
    t,
    server,
    rendererDir,
    advance: (ms) => (offset += ms),
    get: (path, o = {}) => send('GET', path, undefined, o),
    post: (path, body, o = {}) => send('POST', path, body === undefined ? undefined : JSON.stringify(body), o),
    login: async () => {
      const { url } = await t.admin.dashboardLoginUrl({});
      const res = await fixture.get(new URL(url).pathname + new URL(url).search);
      const tab = tabSecretOf(res);
      if (res.status !== 303 || tab === undefined) throw new Error(`login failed: ${res.status}`);
      return tab;
    },
    close: async () => {
      await server.close();
      await t.close();
      rmSync(rendererRoot, { recursive: true, force: true });
    },
  };
  return fixture;
}

export function cookiesOf(res: AgentResponse): string[] {
  const set = res.headers['set-cookie'];
  return set === undefined ? [] : set;
}

/** The tab secret a login redirect carries in its fragment (`/#vk-tab=<secret>`), if any. */
export function tabSecretOf(res: AgentResponse): string | undefined {
  const location = res.headers.location ?? '';
  const prefix = `/#${DASHBOARD_HTTP.fragmentKey}=`;
  return location.startsWith(prefix) ? location.slice(prefix.length) : undefined;
}
