/**
 * `valetkey daemon --headless`: start the dashboard server next to the admin API and print the
 * first one-time login URL (minted through the admin API, so it is audited like any other).
 */
import type { AdminDispatcher, CallContext } from '../../shared/admin-api.js';
import type { Engine } from '../engine.js';
import { startDashboardServer, type DashboardServer } from './dashboard-server.js';

export interface HeadlessOptions {
  readonly port?: number;
  readonly rendererDir?: string;
}

const IN_PROCESS: CallContext = Object.freeze({ via: 'in-process', personPresent: false });

export interface HeadlessDashboard {
  readonly server: DashboardServer;
  /** The first one-time login URL. */
  readonly loginUrl: string;
}

export async function startHeadlessDashboard(engine: Engine, dispatch: AdminDispatcher, options: HeadlessOptions): Promise<HeadlessDashboard> {
  const server = await startDashboardServer({
    dispatch,
    events: (listener) => engine.subscribe(listener),
    logins: engine.dashboard,
    audit: (record) => engine.audit(record),
    uploads: engine.uploads,
    ...(options.port === undefined ? {} : { port: options.port }),
    ...(options.rendererDir === undefined ? {} : { rendererDir: options.rendererDir }),
  });
  try {
    const login = (await dispatch('dashboardLoginUrl', {}, IN_PROCESS)) as { url: string };
    return { server, loginUrl: login.url };
  } catch (e) {
    await server.close();
    throw e;
  }
}

/** The lines the person reads at start: the URL last, where a terminal leaves the eye. */
export function announceDashboard(dashboard: HeadlessDashboard, log: (line: string) => void): void {
  if (!dashboard.server.built) {
    log(`valetkey: the dashboard is not built (no ${dashboard.server.rendererDir}/index.html): run \`npm run build\`, then restart.`);
  }
  log(`Dashboard: ${dashboard.loginUrl}`);
  log('(headless mode: open this URL in a browser on this machine; it works once)');
}
