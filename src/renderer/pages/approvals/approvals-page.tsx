import { useState } from 'react';
import { admin, inElectron } from '../../api/admin.js';
import { canAskForNotifications } from '../../hooks/use-waiting-signals.js';
import { EmptyState } from '../../components/error-notice.js';
import { LoadedView } from '../../components/loaded.js';
import { useAdminData } from '../../hooks/use-admin-data.js';
import { ApprovalCard } from './approval-card.js';
import { ApprovalHistory } from './approval-history.js';
import { DeviceRequestCard } from './device-request-card.js';

/** Asks the browser once, from this click, to allow silent notifications for new requests. */
function NotifyButton() {
  const [askable, setAskable] = useState(canAskForNotifications);
  if (!askable) return null;
  return (
    <button type="button" onClick={() => void Notification.requestPermission().finally(() => setAskable(canAskForNotifications()))} data-testid="notify-me">
      Notify me when an agent waits
    </button>
  );
}

export function ApprovalsPage() {
  const approvals = useAdminData(() => admin.listApprovals({ status: 'pending' }), [], ['approval.requested', 'approval.decided']);
  const requests = useAdminData(() => admin.listDeviceRequests({ status: 'pending' }), [], ['device.requested', 'device.decided', 'device.bound']);
  return (
    <div className="stack">
      <div className="row spread">
        <h1>Approvals</h1>
        <NotifyButton />
      </div>
      <section className="stack" aria-labelledby="pending-access">
        <h2 id="pending-access">Waiting for you</h2>
        <LoadedView data={approvals.data} onRetry={approvals.reload}>
          {(list) =>
            list.length === 0 ? (
              <EmptyState title="No access is waiting" testId="approvals-empty">
                <p>
                  When an agent reaches a vault that asks first, its request appears here
                  {inElectron ? ' (and in the tray)' : ' (and this tab’s title and icon show a count)'} until you answer or it times out.
                </p>
              </EmptyState>
            ) : (
              <div className="card-grid">
                {list.map((a) => (
                  <ApprovalCard key={a.id} approval={a} onDecided={approvals.reload} />
                ))}
              </div>
            )
          }
        </LoadedView>
      </section>
      <section className="stack" aria-labelledby="pending-devices">
        <h2 id="pending-devices">Agents asking for a token</h2>
        <LoadedView data={requests.data} onRetry={requests.reload}>
          {(list) =>
            list.length === 0 ? (
              <EmptyState title="No agent is asking" testId="devices-empty">
                <p>An agent can ask for access itself (valetkey login without a code); you compare its code and approve, narrow or deny here.</p>
              </EmptyState>
            ) : (
              <div className="card-grid">
                {list.map((r) => (
                  <DeviceRequestCard key={r.id} request={r} onDecided={requests.reload} />
                ))}
              </div>
            )
          }
        </LoadedView>
      </section>
      <ApprovalHistory />
    </div>
  );
}
