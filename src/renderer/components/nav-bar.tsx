import { useSyncExternalStore } from 'react';
import { admin, inElectron } from '../api/admin.js';
import { closeGrant, grantExpiry, signOut, subscribeGrantExpiry } from '../api/grant-session.js';
import { usePendingCount } from '../hooks/use-pending-count.js';
import { useUnseenAlerts } from '../hooks/use-alert-watch.js';
import { useWaitingSignals } from '../hooks/use-waiting-signals.js';
import { useNow } from '../hooks/use-now.js';
import { useStatus } from '../hooks/use-status.js';
import { useStatusAction } from '../hooks/use-toasted-action.js';
import { formatTimeLeft } from '../lib/format-time.js';
import { routeHref, type PageName, type Route } from '../lib/route.js';
import { useToast } from './toast.js';
import { errorText } from '../lib/vk-error.js';

const LINKS: readonly { readonly page: PageName; readonly label: string; readonly route: Route }[] = [
  { page: 'vaults', label: 'Vaults', route: { page: 'vaults' } },
  { page: 'tokens', label: 'Tokens', route: { page: 'tokens' } },
  { page: 'activity', label: 'Activity', route: { page: 'activity' } },
  { page: 'approvals', label: 'Approvals', route: { page: 'approvals' } },
  { page: 'alerts', label: 'Alerts', route: { page: 'alerts' } },
  { page: 'settings', label: 'Settings', route: { page: 'settings' } },
];

function section(page: PageName): PageName {
  return page === 'token-new' ? 'tokens' : page;
}

export function NavBar({ route }: { readonly route: Route }) {
  const pending = usePendingCount();
  const alerts = useUnseenAlerts();
  useWaitingSignals(pending);
  const current = section(route.page);
  return (
    <header className="topbar">
      <a className="brand" href="#/vaults">
        Valetkey
      </a>
      <nav aria-label="Main">
        <ul className="nav-links">
          {LINKS.map((link) => (
            <li key={link.page}>
              <a href={routeHref(link.route)} aria-current={current === link.page ? 'page' : undefined} data-testid={`nav-${link.page}`}>
                {link.label}
                {link.page === 'approvals' && pending > 0 && (
                  <span className="badge" data-testid="pending-badge" aria-label={`${pending} pending`}>
                    {pending}
                  </span>
                )}
                {link.page === 'alerts' && alerts > 0 && (
                  <span className="badge badge-alert" data-testid="alert-badge" aria-label={`${alerts} new alerts`}>
                    {alerts}
                  </span>
                )}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <StatusControls />
    </header>
  );
}

function StatusControls() {
  const { status } = useStatus();
  const { busy, run } = useStatusAction();
  return (
    <div className="topbar-status">
      {status.agentsPaused && (
        <span className="chip chip-warn" data-testid="agents-paused-chip">
          Agents paused
        </span>
      )}
      {!inElectron && <GrantIndicator />}
      <button type="button" disabled={busy} onClick={() => void run(() => admin.lock({}))} data-testid="lock-now">
        Lock
      </button>
      {!inElectron && (
        <button type="button" className="link-button" disabled={busy} onClick={() => void run(signOut)} data-testid="sign-out">
          Sign out
        </button>
      )}
    </div>
  );
}

function GrantIndicator() {
  const expiry = useSyncExternalStore(subscribeGrantExpiry, grantExpiry);
  const now = useNow(15_000);
  const toast = useToast();
  if (expiry === undefined || expiry <= now) return null;
  return (
    <span className="chip" data-testid="grant-open">
      Confirmed · {formatTimeLeft(expiry, now)}
      <button
        type="button"
        className="link-button"
        data-testid="lock-grants"
        onClick={() => void closeGrant().then(() => toast('Grants locked: the next change asks for the passphrase again.'), (e: unknown) => toast(errorText(e), 'error'))}
      >
        Lock grants
      </button>
    </span>
  );
}
