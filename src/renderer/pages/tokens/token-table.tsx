import { useState } from 'react';
import type { TokenInfo } from '../../../shared/model.js';
import { ConfirmDialog } from '../../components/confirm-dialog.js';
import { admin } from '../../api/admin.js';
import { useToast } from '../../components/toast.js';
import { useNow } from '../../hooks/use-now.js';
import { describeTokenApproval } from '../../lib/approval-text.js';
import { formatAgo, formatDateTime, formatThumbprint, formatTimeLeft } from '../../lib/format-time.js';
import { routeHref } from '../../lib/route.js';
import { isLive, TOKEN_STATUS_LABELS } from '../../lib/token-status.js';
import { errorText } from '../../lib/vk-error.js';
import { TokenActivity } from './token-activity.js';

export function TokenTable({
  tokens,
  vaultNames,
  onRevoked,
}: {
  readonly tokens: readonly TokenInfo[];
  readonly vaultNames: ReadonlyMap<string, string>;
  readonly onRevoked: (count: number) => void;
}) {
  const now = useNow(10_000);
  const toast = useToast();
  const [revoking, setRevoking] = useState<TokenInfo | undefined>(undefined);
  const revoke = async (token: TokenInfo) => {
    try {
      onRevoked((await admin.revokeToken({ tokenId: token.id })).revoked);
    } catch (e) {
      toast(errorText(e), 'error');
    }
  };
  return (
    <div className="table-wrap">
      <ConfirmDialog open={revoking !== undefined} title={`Revoke ${revoking?.name ?? ''}?`} confirmLabel="Revoke token" onClose={() => setRevoking(undefined)} onConfirm={async () => revoking && revoke(revoking)}>
        <p>The agent (and any sub-agent it made) loses access at once, with invalid_token on its next request. This cannot be undone: it would need a new token.</p>
      </ConfirmDialog>
      <table className="table" data-testid="token-table">
        <thead>
          <tr>
            <th scope="col">Agent</th>
            <th scope="col">Status</th>
            <th scope="col">Access</th>
            <th scope="col">Time left</th>
            <th scope="col">Last used</th>
            <th scope="col">Uses</th>
            <th scope="col">Last 7 days</th>
            <th scope="col">
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {tokens.map((t) => (
            <tr key={t.id} data-testid="token-row" data-token-name={t.name} data-token-status={t.status}>
              <td>
                <a href={routeHref({ page: 'activity', tokenId: t.id })} title={`What ${t.name} did`} data-testid="token-activity-link">
                  <strong>{t.name}</strong>
                </a>
                <div className="muted small" title={t.keyThumbprint ?? undefined}>
                  {t.origin === 'exchange' ? `via ${t.actors.join(' → ')}` : t.origin === 'device' ? 'asked by the agent' : 'created here'} · key{' '}
                  {t.binding === 'bearer' ? 'none (bearer)' : t.keyThumbprint ? formatThumbprint(t.keyThumbprint) : 'not enrolled yet'}
                </div>
              </td>
              <td>
                <span className={`status status-${t.status}`}>{TOKEN_STATUS_LABELS[t.status]}</span>
                {t.tripwires?.paused === true && isLive(t) && (
                  <span className="chip chip-warn" data-testid="token-paused" title="Paused by a tripwire or by you: see Alerts">
                    paused
                  </span>
                )}
              </td>
              <td className="small">
                {t.vaultIds.map((id) => vaultNames.get(id) ?? id).join(', ')}
                <div className="muted">
                  {t.actions.join(' + ')} · {describeTokenApproval(t.approval)}
                </div>
              </td>
              <td title={formatDateTime(t.expiresAt)}>{isLive(t) ? formatTimeLeft(t.expiresAt, now) : '—'}</td>
              <td title={t.lastUsedAt === null ? undefined : formatDateTime(t.lastUsedAt)}>{formatAgo(t.lastUsedAt, now)}</td>
              <td>
                {t.uses}
                {t.maxUses !== null && ` / ${t.maxUses}`}
              </td>
              <td>
                <a href={routeHref({ page: 'activity', tokenId: t.id })} aria-label={`Activity of ${t.name}`}>
                  <TokenActivity tokenId={t.id} name={t.name} />
                </a>
              </td>
              <td>
                {isLive(t) && (
                  <button type="button" className="danger button-small" onClick={() => setRevoking(t)} data-testid="token-revoke">
                    Revoke
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
