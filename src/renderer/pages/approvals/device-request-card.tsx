import { useState } from 'react';
import type { DeviceRequestInfo, TokenAction } from '../../../shared/model.js';
import { admin } from '../../api/admin.js';
import { ErrorNotice } from '../../components/error-notice.js';
import { useAction } from '../../hooks/use-action.js';
import { useNow } from '../../hooks/use-now.js';
import { fullChoice, lifespanChoices, narrowedParams, narrowingProblems, type NarrowChoice } from '../../lib/device-narrowing.js';
import { formatDuration, formatThumbprint, formatTimeLeft } from '../../lib/format-time.js';

/** An agent asking for a token (device flow): compare the user code with what the agent printed, then answer. */
export function DeviceRequestCard({ request, onDecided }: { readonly request: DeviceRequestInfo; readonly onDecided?: (r: DeviceRequestInfo) => void }) {
  const now = useNow(1000);
  const [narrowing, setNarrowing] = useState(false);
  const { busy, error, run } = useAction();

  const decide = (decision: 'approve' | 'deny', choice?: NarrowChoice) =>
    run(async () => {
      const narrowed = choice === undefined ? undefined : narrowedParams(request, choice);
      const decided = await admin.decideDeviceRequest({ requestId: request.id, decision, ...(narrowed ? { narrowed } : {}) });
      onDecided?.(decided);
    });

  return (
    <article className="card approval-card" data-testid="device-card" data-request-id={request.id} aria-label={`Token request from ${request.clientName}`}>
      <header className="row spread">
        <h3>
          {request.clientName} <span className="muted small">(name claimed by the agent)</span>
        </h3>
        <span className="muted small">{formatTimeLeft(request.expiresAt, now)}</span>
      </header>
      <p className="user-code" data-testid="device-user-code" aria-label="User code">
        {request.userCode}
      </p>
      <p className="muted small">Approve only if the agent shows this same code.</p>
      <dl className="facts">
        <dt>Vaults</dt>
        <dd data-testid="device-vaults">{request.vaults.map((v) => v.name ?? `${v.ref} (no such vault)`).join(', ')}</dd>
        <dt>Actions</dt>
        <dd>{request.actions.join(' + ')}</dd>
        <dt>For</dt>
        <dd>{formatDuration(request.lifespanSeconds)}</dd>
        <dt>Reason</dt>
        <dd className="reason">{request.reason}</dd>
        <dt>Key fingerprint</dt>
        <dd>
          {/* A request may come without a proof: the agent's first poll then binds its key. */}
          {request.keyThumbprint === null ? 'not yet known (bound by the agent’s first poll)' : <code>{formatThumbprint(request.keyThumbprint)}</code>}
        </dd>
      </dl>
      {narrowing ? (
        <NarrowForm request={request} busy={busy} onCancel={() => setNarrowing(false)} onApprove={(choice) => void decide('approve', choice)} />
      ) : (
        <div className="row decision-row">
          <button type="button" className="primary" disabled={busy} onClick={() => void decide('approve')} data-testid="device-approve">
            Approve
          </button>
          <button type="button" disabled={busy} onClick={() => setNarrowing(true)} data-testid="device-narrow">
            Approve narrowed…
          </button>
          <button type="button" className="danger" disabled={busy} onClick={() => void decide('deny')} data-testid="device-deny">
            Deny
          </button>
        </div>
      )}
      {error !== undefined && <ErrorNotice error={error} />}
    </article>
  );
}

function NarrowForm({
  request,
  busy,
  onCancel,
  onApprove,
}: {
  readonly request: DeviceRequestInfo;
  readonly busy: boolean;
  readonly onCancel: () => void;
  readonly onApprove: (choice: NarrowChoice) => void;
}) {
  const [choice, setChoice] = useState<NarrowChoice>(() => fullChoice(request));
  const problems = narrowingProblems(request, choice);
  const toggle = <T,>(list: readonly T[], item: T, on: boolean): T[] => (on ? [...list.filter((x) => x !== item), item] : list.filter((x) => x !== item));
  return (
    <form
      className="stack narrow-form"
      data-testid="device-narrow-form"
      onSubmit={(e) => {
        e.preventDefault();
        if (problems.length === 0) onApprove(choice);
      }}
    >
      <fieldset>
        <legend>Vaults</legend>
        {request.vaults.map((v) =>
          v.id === null ? null : (
            <label key={v.id} className="inline">
              <input
                type="checkbox"
                checked={choice.vaultIds.includes(v.id)}
                onChange={(e) => setChoice((c) => ({ ...c, vaultIds: toggle(c.vaultIds, v.id as string, e.target.checked) }))}
                data-testid="device-narrow-vault"
                data-vault-name={v.name ?? v.ref}
              />
              {v.name ?? v.ref}
            </label>
          ),
        )}
      </fieldset>
      <fieldset>
        <legend>Actions</legend>
        {request.actions.map((a: TokenAction) => (
          <label key={a} className="inline">
            <input
              type="checkbox"
              checked={choice.actions.includes(a)}
              onChange={(e) => setChoice((c) => ({ ...c, actions: toggle(c.actions, a, e.target.checked) }))}
              data-testid={`device-narrow-action-${a}`}
            />
            {a}
          </label>
        ))}
      </fieldset>
      <label className="field">
        <span>Lifespan</span>
        <select
          value={choice.lifespanSeconds}
          onChange={(e) => setChoice((c) => ({ ...c, lifespanSeconds: Number(e.target.value) }))}
          data-testid="device-narrow-lifespan"
        >
          {lifespanChoices(request.lifespanSeconds).map((s) => (
            <option key={s} value={s}>
              {formatDuration(s)}
            </option>
          ))}
        </select>
      </label>
      {problems.length > 0 && (
        <ul className="notice notice-error" role="alert">
          {problems.map((p) => (
            <li key={p}>{p}</li>
          ))}
        </ul>
      )}
      <div className="row">
        <button type="button" onClick={onCancel}>
          Back
        </button>
        <button type="submit" className="primary" disabled={busy || problems.length > 0} data-testid="device-narrow-submit">
          Approve narrowed
        </button>
      </div>
    </form>
  );
}
