import { useState } from 'react';
import type { ApprovalDecision, ApprovalInfo } from '../../../shared/model.js';
import { admin } from '../../api/admin.js';
import { ErrorNotice } from '../../components/error-notice.js';
import { useAction } from '../../hooks/use-action.js';
import { useNow } from '../../hooks/use-now.js';
import { formatThumbprint, formatTimeLeft } from '../../lib/format-time.js';

export const ALLOW_FOR_MINUTES = [5, 15, 60, 240] as const;

/** One waiting access: who asks, with which key, for what and why; and the three answers. */
export function ApprovalCard({ approval, onDecided }: { readonly approval: ApprovalInfo; readonly onDecided?: (a: ApprovalInfo) => void }) {
  const now = useNow(1000);
  return (
    <article className="card approval-card" data-testid="approval-card" data-approval-id={approval.id} aria-label={`Request from ${approval.agent}`}>
      <header className="row spread">
        <h3>
          {approval.agent}
          {approval.tokenOrigin === 'device' && (
            <span className="muted small" data-testid="approval-name-claimed">
              {' '}
              (name claimed by the agent)
            </span>
          )}
        </h3>
        <span className="muted small" data-testid="approval-time-left">
          {formatTimeLeft(approval.expiresAt, now)}
        </span>
      </header>
      <dl className="facts">
        <dt>Wants to</dt>
        <dd data-testid="approval-action">{approval.action === 'read' ? 'read' : 'use (without seeing)'}</dd>
        <dt>Vault</dt>
        <dd data-testid="approval-vault">{approval.vaultName ?? approval.vaultId}</dd>
        <dt>Entry</dt>
        <dd data-testid="approval-entry">
          {approval.entryTitle ?? approval.entryId ?? 'any'}
          {approval.field !== null && <span className="muted"> · field {approval.field}</span>}
        </dd>
        <dt>Reason</dt>
        <dd className="reason" data-testid="approval-reason">
          {approval.reason ?? <span className="muted">none given</span>}
        </dd>
        <dt>Token</dt>
        <dd>{approval.tokenName}</dd>
        <dt>Key fingerprint</dt>
        <dd>
          <code data-testid="approval-key">{formatThumbprint(approval.keyThumbprint)}</code>
        </dd>
      </dl>
      <DecisionButtons approval={approval} {...(onDecided ? { onDecided } : {})} />
    </article>
  );
}

export function DecisionButtons({ approval, onDecided }: { readonly approval: ApprovalInfo; readonly onDecided?: (a: ApprovalInfo) => void }) {
  const [minutes, setMinutes] = useState<number>(15);
  const { busy, error, run } = useAction();
  const decide = (decision: ApprovalDecision) =>
    run(async () => {
      const decided = await admin.decideApproval({ approvalId: approval.id, decision, ...(decision === 'allow_for' ? { minutes } : {}) });
      onDecided?.(decided);
    });
  return (
    <div className="stack">
      <div className="row decision-row">
        <button type="button" className="primary" disabled={busy} onClick={() => void decide('allow_once')} data-testid="approval-allow-once">
          Allow once
        </button>
        <span className="row joined">
          <button type="button" disabled={busy} onClick={() => void decide('allow_for')} data-testid="approval-allow-for">
            Allow this agent for
          </button>
          <select value={minutes} onChange={(e) => setMinutes(Number(e.target.value))} aria-label="Minutes" data-testid="approval-minutes">
            {ALLOW_FOR_MINUTES.map((m) => (
              <option key={m} value={m}>
                {m < 60 ? `${m} min` : `${m / 60} h`}
              </option>
            ))}
          </select>
        </span>
        <button type="button" className="danger" disabled={busy} onClick={() => void decide('deny')} data-testid="approval-deny">
          Deny
        </button>
      </div>
      {error !== undefined && <ErrorNotice error={error} />}
    </div>
  );
}
