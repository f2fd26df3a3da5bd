import { useEffect, useMemo } from 'react';
import type { EngineStatus } from '../shared/model.js';
import { admin, inElectron } from './api/admin.js';
import { forgetGrant } from './api/grant-session.js';
import { signedOutHere } from './api/tab-session.js';
import { ErrorNotice, Loading } from './components/error-notice.js';
import { GrantDialog } from './components/grant-dialog.js';
import { FirstRun, LockScreen } from './components/lock-screen.js';
import { NavBar } from './components/nav-bar.js';
import { TamperBanner } from './components/tamper-banner.js';
import { ToastProvider } from './components/toast.js';
import { useAdminData } from './hooks/use-admin-data.js';
import { useAlertWatch } from './hooks/use-alert-watch.js';
import { useRoute } from './hooks/use-route.js';
import { StatusContext } from './hooks/use-status.js';
import { isPromptRoute, type Route } from './lib/route.js';
import { ActivityPage } from './pages/activity/activity-page.js';
import { AlertsPage } from './pages/alerts/alerts-page.js';
import { ApprovalsPage } from './pages/approvals/approvals-page.js';
import { DevicePromptPage, PromptPage } from './pages/approvals/prompt-page.js';
import { SettingsPage } from './pages/settings/settings-page.js';
import { TokenWizard } from './pages/tokens/token-wizard.js';
import { TokensPage } from './pages/tokens/tokens-page.js';
import { VaultsPage } from './pages/vaults/vaults-page.js';

export function App() {
  return (
    <ToastProvider>
      <GrantDialog />
      <Root />
    </ToastProvider>
  );
}

function Root() {
  const route = useRoute();
  const { data, reload } = useAdminData(() => admin.status({}), [], ['lock.changed', 'agents.paused']);
  const locked = data.state === 'ok' && data.value.locked;
  useEffect(() => {
    // Locking ends every grant session in the engine; forget ours so the page does not claim one.
    if (locked) forgetGrant();
  }, [locked]);

  switch (data.state) {
    case 'loading':
      return (
        <main className="centered">
          <Loading label="Asking the engine…" />
        </main>
      );
    case 'error':
      return <Unreachable error={data.error} onRetry={reload} />;
    case 'ok':
      return <Ready status={data.value} route={route} refresh={reload} />;
  }
}

function Ready({ status, route, refresh }: { readonly status: EngineStatus; readonly route: Route; readonly refresh: () => void }) {
  const context = useMemo(() => ({ status, refresh }), [status, refresh]);
  useAlertWatch();
  if (!status.initialized) return <FirstRun onRetry={refresh} />;
  if (status.locked) return <LockScreen status={status} onUnlocked={refresh} />;
  return (
    <StatusContext.Provider value={context}>
      {isPromptRoute(route) ? (
        <main className="prompt-main">
          <Page route={route} />
        </main>
      ) : (
        <>
          <NavBar route={route} />
          <main className="page" id="main">
            <TamperBanner status={status} />
            <Page route={route} />
          </main>
        </>
      )}
    </StatusContext.Provider>
  );
}

function Page({ route }: { readonly route: Route }) {
  switch (route.page) {
    case 'vaults':
      return <VaultsPage vaultId={route.vaultId} entryId={route.entryId} />;
    case 'tokens':
      return <TokensPage />;
    case 'token-new':
      return <TokenWizard />;
    case 'activity':
      return <ActivityPage tokenId={route.tokenId} />;
    case 'approvals':
      return <ApprovalsPage />;
    case 'alerts':
      return <AlertsPage />;
    case 'settings':
      return <SettingsPage />;
    case 'prompt':
      return <PromptPage approvalId={route.approvalId} />;
    case 'device-prompt':
      return <DevicePromptPage requestId={route.requestId} />;
  }
}

function Unreachable({ error, onRetry }: { readonly error: unknown; readonly onRetry: () => void }) {
  const sessionEnded = !inElectron && typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'unauthorized';
  if (sessionEnded) return <SessionEnded />;
  return (
    <main className="centered" data-testid="engine-unreachable">
      <div className="card narrow stack">
        <h1>The engine does not answer</h1>
        <ErrorNotice error={error} onRetry={onRetry} />
      </div>
    </main>
  );
}

/** The browser tab has no session: the person signed out here, or the session ended on its own. */
function SessionEnded() {
  const signedOut = signedOutHere();
  return (
    <main className="centered" data-testid={signedOut ? 'signed-out' : 'session-ended'}>
      <div className="card narrow stack">
        <h1>{signedOut ? 'You signed out' : 'This dashboard session has ended'}</h1>
        <p>
          {signedOut
            ? 'This tab no longer has access to Valetkey. The engine keeps running, and your agents keep their tokens.'
            : 'Sessions end after 12 hours without use, and when the engine restarts.'}
        </p>
        <p>
          To open the dashboard again, run <code>valetkey dashboard-url</code> in a terminal on this machine and open the link it prints.
        </p>
      </div>
    </main>
  );
}
