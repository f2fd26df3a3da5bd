import type { ApprovalInfo, DeviceRequestInfo } from '../../../shared/model.js';
import { admin } from '../../api/admin.js';
import { EmptyState } from '../../components/error-notice.js';
import { LoadedView } from '../../components/loaded.js';
import { useAdminData } from '../../hooks/use-admin-data.js';
import { formatDateTime } from '../../lib/format-time.js';

const HISTORY_LIMIT = 50;

interface HistoryLine {
  readonly id: string;
  readonly at: string;
  readonly who: string;
  readonly what: string;
  readonly reason: string;
  readonly outcome: string;
}

function fromApproval(a: ApprovalInfo): HistoryLine {
  const outcome = a.decision === 'allow_for' ? `allowed for ${a.minutes ?? 0} min` : a.decision === 'allow_once' ? 'allowed once' : a.status.replace('_', ' ');
  return {
    id: `a-${a.id}`,
    at: a.decidedAt ?? a.createdAt,
    who: a.agent,
    what: `${a.action} ${a.vaultName ?? a.vaultId}${a.entryTitle ? ` / ${a.entryTitle}` : ''}`,
    reason: a.reason ?? '',
    outcome,
  };
}

function fromRequest(r: DeviceRequestInfo): HistoryLine {
  const narrowed = r.grantedScope !== undefined && r.grantedScope !== r.requestedScope ? ' (narrowed)' : '';
  return {
    id: `d-${r.id}`,
    at: r.createdAt,
    who: r.clientName,
    what: `token for ${r.vaults.map((v) => v.name ?? v.ref).join(', ')}`,
    reason: r.reason,
    outcome: `${r.status}${narrowed}`,
  };
}

/** Past answers: approvals and device requests together, newest first. */
export function ApprovalHistory() {
  const { data, reload } = useAdminData(
    async () => {
      const [approvals, requests] = await Promise.all([admin.listApprovals({ status: 'all', limit: HISTORY_LIMIT }), admin.listDeviceRequests({ status: 'all' })]);
      return [...approvals.filter((a) => a.status !== 'pending').map(fromApproval), ...requests.filter((r) => r.status !== 'pending').map(fromRequest)]
        .sort((x, y) => Date.parse(y.at) - Date.parse(x.at))
        .slice(0, HISTORY_LIMIT);
    },
    [],
    ['approval.decided', 'device.decided'],
  );
  return (
    <section className="stack" aria-labelledby="history">
      <h2 id="history">History</h2>
      <LoadedView data={data} onRetry={reload}>
        {(lines) =>
          lines.length === 0 ? (
            <EmptyState title="Nothing decided yet" />
          ) : (
            <div className="table-wrap">
              <table className="table" data-testid="approval-history">
                <thead>
                  <tr>
                    <th scope="col">When</th>
                    <th scope="col">Agent</th>
                    <th scope="col">Asked for</th>
                    <th scope="col">Reason</th>
                    <th scope="col">Outcome</th>
                  </tr>
                </thead>
                <tbody>
                  {lines.map((l) => (
                    <tr key={l.id} data-testid="history-row">
                      <td className="nowrap">{formatDateTime(l.at)}</td>
                      <td>{l.who}</td>
                      <td>{l.what}</td>
                      <td className="reason">{l.reason}</td>
                      <td>{l.outcome}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )
        }
      </LoadedView>
    </section>
  );
}
