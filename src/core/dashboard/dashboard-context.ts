/** What the dashboard server's routes share, and the one session check they all use. */
import type { IncomingMessage } from 'node:http';
import type { AdminDispatcher, AdminEventSource } from '../../shared/admin-api.js';
import type { AuditRecord } from '../../shared/model.js';
import type { RefusalLimiter } from '../audit/refusal-limiter.js';
import type { UploadStore } from '../import/upload-store.js';
import type { AdminEventStreams } from '../admin/transport/admin-event-stream.js';
import { COOKIE, readCookie } from './cookies.js';
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

/** The browser's session id if it names a live session (whose idle clock restarts now). */
export function sessionOf(d: Dashboard, req: IncomingMessage): string | undefined {
  const session = readCookie(req, COOKIE.session);
  return session !== undefined && d.o.logins.touch(session) ? session : undefined;
}
