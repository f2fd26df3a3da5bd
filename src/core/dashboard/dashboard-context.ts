/** What the dashboard server's routes share, and the one session check they all use. */
import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { DASHBOARD_HTTP, type AdminDispatcher, type AdminEventSource } from '../../shared/admin-api.js';
import type { AuditRecord } from '../../shared/model.js';
import type { RefusalLimiter } from '../audit/refusal-limiter.js';
import type { UploadStore } from '../import/upload-store.js';
import type { AdminEventStreams } from '../admin/transport/admin-event-stream.js';
import type { DashboardLogins } from './dashboard-logins.js';

export interface DashboardServerOptions {
  readonly dispatch: AdminDispatcher;
  readonly events: AdminEventSource;
  readonly logins: DashboardLogins;
  /** Logins and logouts are a person's actions: audited before they are answered. */
  readonly audit: (record: AuditRecord) => Promise<unknown>;
  /** Where `POST /dashboard/upload` stages dropped files; absent: the route answers not_found. */
  readonly uploads?: UploadStore;
  /** 0 or absent: a random free port. */
  readonly port?: number;
  /** Default: out/renderer in the package (built by `npm run build`). */
  readonly rendererDir?: string;
}

export interface Dashboard {
  readonly o: DashboardServerOptions;
  readonly rendererDir: string;
  readonly streams: AdminEventStreams;
  readonly loginRefusals: RefusalLimiter;
  /** Known once the listener is up, before any request. */
  port: number;
}

/** A tab's caller id for per-caller limits: a digest, never the secret itself. */
export function tabCaller(session: string): string {
  return `tab:${createHash('sha256').update(session).digest('hex').slice(0, 32)}`;
}

/** Our secrets are base64url; anything else is not one of ours. */
const TAB_SECRET = /^[A-Za-z0-9_-]{1,128}$/;

/**
 * The tab's session secret if it names a live session (whose idle clock restarts now). Only the
 * header counts: a cookie is sent by the browser to every loopback port, so it proves nothing.
 */
export function sessionOf(d: Dashboard, req: IncomingMessage): string | undefined {
  const session = req.headers[DASHBOARD_HTTP.tabHeader];
  return typeof session === 'string' && TAB_SECRET.test(session) && d.o.logins.touch(session) ? session : undefined;
}
