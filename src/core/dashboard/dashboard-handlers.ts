/** The admin API's headless-dashboard method: a fresh one-time login URL, audited (never the URL itself). */
import type { Handlers, RecordAudit } from '../admin/admin-service.js';
import type { DashboardLogins } from './dashboard-logins.js';

export interface DashboardHandlerDeps {
  readonly dashboard: Pick<DashboardLogins, 'newLoginUrl'>;
  readonly audit: RecordAudit;
}

export function dashboardHandlers(deps: DashboardHandlerDeps): Handlers<'dashboardLoginUrl'> {
  return {
    dashboardLoginUrl: async (_p, ctx) => {
      const login = deps.dashboard.newLoginUrl();
      await deps.audit({ actor: 'person', action: 'dashboard.login_url', outcome: 'ok', detail: { via: ctx.via, expiresAt: login.expiresAt } });
      return login;
    },
  };
}
