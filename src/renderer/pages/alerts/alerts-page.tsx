import { useEffect, useState } from 'react';
import { describeAlert } from '../../../shared/alert-text.js';
import type { AlertInfo, TokenInfo } from '../../../shared/model.js';
import { admin, inElectron } from '../../api/admin.js';
import { EmptyState } from '../../components/error-notice.js';
import { LoadedView } from '../../components/loaded.js';
import { useAdminData } from '../../hooks/use-admin-data.js';
import { markAlertsSeen, useUnseenAlerts } from '../../hooks/use-alert-watch.js';
import { AlertCard } from './alert-card.js';

/** Tripwire alerts, newest first, each with what its agent did just before and after. */
export function AlertsPage() {
  const alerts = useAdminData(() => admin.listAlerts({ limit: 50 }), [], ['audit.appended']);
  const tokens = useAdminData(() => admin.listTokens({ status: 'all' }), [], ['tokens.changed']);
  const unseen = useUnseenAlerts();
  useEffect(() => {
    if (unseen > 0) markAlertsSeen(); // being on this page is seeing them
  }, [unseen]);
  const byId = new Map<string, TokenInfo>(tokens.data.state === 'ok' ? tokens.data.value.map((t) => [t.id, t]) : []);
  return (
    <div className="stack">
      <h1>Alerts</h1>
      <p className="muted">Tripwires: canary entries and the rules you set on each token. An alert row never holds a secret.</p>
      {!inElectron && <NotificationSwitch />}
      <LoadedView data={alerts.data} onRetry={alerts.reload}>
        {(list: readonly AlertInfo[]) =>
          list.length === 0 ? (
            <EmptyState title="No alerts" testId="alerts-empty">
              <p>When an agent touches a canary or trips one of its token’s rules, it shows up here at once, with Revoke and Pause.</p>
            </EmptyState>
          ) : (
            <ul className="stack alert-list" data-testid="alert-list">
              {list.map((a) => (
                <li key={a.alert.seq}>
                  <AlertCard info={a} text={describeAlert(a.alert)} token={a.alert.tokenId === null ? undefined : byId.get(a.alert.tokenId)} onChanged={tokens.reload} />
                </li>
              ))}
            </ul>
          )
        }
      </LoadedView>
    </div>
  );
}

/** Browsers ask for notification permission only after a click. */
function NotificationSwitch() {
  const supported = typeof Notification !== 'undefined';
  const [permission, setPermission] = useState(supported ? Notification.permission : 'denied');
  if (!supported || permission !== 'default') return null;
  return (
    <p>
      <button type="button" data-testid="alerts-notify" onClick={() => void Notification.requestPermission().then(setPermission)}>
        Notify me of alerts on this computer
      </button>
    </p>
  );
}
