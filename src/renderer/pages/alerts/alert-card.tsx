import type { AlertText } from '../../../shared/alert-text.js';
import type { AlertInfo, AuditRow, TokenInfo } from '../../../shared/model.js';
import { admin } from '../../api/admin.js';
import { useToast } from '../../components/toast.js';
import { useToastedAction } from '../../hooks/use-toasted-action.js';
import { formatDateTime } from '../../lib/format-time.js';

interface Props {
  readonly info: AlertInfo;
  readonly text: AlertText;
  readonly token: TokenInfo | undefined;
  readonly onChanged: () => void;
}

export function AlertCard({ info, text, token, onChanged }: Props) {
  const { alert } = info;
  return (
    <article className="card stack" data-testid="alert-card" data-rule={String(alert.detail?.['rule'] ?? '')}>
      <header>
        <h2 className="alert-title" data-testid="alert-title">
          {text.title}
        </h2>
        <p className="muted">
          {formatDateTime(alert.ts)} · rule <code>{String(alert.detail?.['rule'] ?? alert.action)}</code>
          {alert.entryId !== null && (
            <>
              {' '}
              · entry <code>{alert.entryId}</code>
            </>
          )}
        </p>
      </header>
      {text.body !== '' && <p data-testid="alert-body">{text.body}</p>}
      {token !== undefined && <TokenActions token={token} onChanged={onChanged} />}
      <details>
        <summary>What this agent did around it</summary>
        <ContextTable rows={[...info.before, alert, ...info.after]} alertSeq={alert.seq} />
      </details>
    </article>
  );
}

function TokenActions({ token, onChanged }: { readonly token: TokenInfo; readonly onChanged: () => void }) {
  const toast = useToast();
  const { busy, run: runAction } = useToastedAction();
  const paused = token.tripwires?.paused === true;
  const live = token.status === 'active' || token.status === 'pending_enrollment';
  const run = (label: string, action: () => Promise<unknown>) =>
    runAction(async () => {
      await action();
      toast(label);
      onChanged();
    });
  if (!live) {
    return (
      <p className="chip" data-testid="alert-token-state">
        Token {token.name}: {token.status}
      </p>
    );
  }
  return (
    <div className="row" data-testid="alert-actions">
      <span className="chip" data-testid="alert-token-state">
        Token {token.name}: {paused ? 'paused' : 'active'}
      </span>
      <button type="button" className="danger" disabled={busy} data-testid="alert-revoke" onClick={() => void run(`Revoked ${token.name}`, () => admin.revokeToken({ tokenId: token.id }))}>
        Revoke
      </button>
      {paused ? (
        <button type="button" disabled={busy} data-testid="alert-resume" onClick={() => void run(`Resumed ${token.name}`, () => admin.resumeToken({ tokenId: token.id }))}>
          Resume
        </button>
      ) : (
        <button type="button" disabled={busy} data-testid="alert-pause" onClick={() => void run(`Paused ${token.name}`, () => admin.pauseToken({ tokenId: token.id }))}>
          Pause
        </button>
      )}
    </div>
  );
}

function ContextTable({ rows, alertSeq }: { readonly rows: readonly AuditRow[]; readonly alertSeq: number }) {
  return (
    <table className="table" data-testid="alert-context">
      <thead>
        <tr>
          <th>Time</th>
          <th>What</th>
          <th>Outcome</th>
          <th>Reason</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.seq} aria-current={r.seq === alertSeq ? 'true' : undefined}>
            <td>{formatDateTime(r.ts)}</td>
            <td>
              <code>{r.action}</code>
            </td>
            <td>{r.errorCode ?? r.outcome}</td>
            <td>{r.reason ?? ''}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
