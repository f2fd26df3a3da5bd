/** The admin API's headless-dashboard method: a fresh one-time login URL, audited (never the URL itself). */
import type { Engine } from '../engine.js';
import type { Handlers } from '../admin/admin-service.js';

export function dashboardHandlers(engine: Engine): Handlers<'dashboardLoginUrl'> {
  return {
    dashboardLoginUrl: async (_p, ctx) => {
      const login = engine.dashboard.newLoginUrl();
      await engine.audit({ actor: 'person', action: 'dashboard.login_url', outcome: 'ok', detail: { via: ctx.via, expiresAt: login.expiresAt } });
      return login;
    },
  };
}
