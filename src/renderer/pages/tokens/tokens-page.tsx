import { useState } from 'react';
import { admin } from '../../api/admin.js';
import { ConfirmDialog } from '../../components/confirm-dialog.js';
import { EmptyState } from '../../components/error-notice.js';
import { LoadedView } from '../../components/loaded.js';
import { useToast } from '../../components/toast.js';
import { useAdminData } from '../../hooks/use-admin-data.js';
import { useStatus } from '../../hooks/use-status.js';
import { useStatusAction } from '../../hooks/use-toasted-action.js';
import { routeHref } from '../../lib/route.js';
import { matchesFilter, sortTokens, TOKEN_FILTER_LABELS, TOKEN_FILTERS, type TokenFilter } from '../../lib/token-status.js';
import { TokenTable } from './token-table.js';

export function TokensPage() {
  const tokens = useAdminData(() => admin.listTokens({ status: 'all' }), [], ['tokens.changed', 'audit.appended']);
  const vaults = useAdminData(() => admin.listVaults({}), [], ['vaults.changed']);
  const [filter, setFilter] = useState<TokenFilter>('all');
  const [revokingAll, setRevokingAll] = useState(false);
  const toast = useToast();
  const vaultNames = new Map(vaults.data.state === 'ok' ? vaults.data.value.map((v) => [v.id, v.name]) : []);

  return (
    <div className="stack">
      <header className="row spread">
        <h1>Tokens</h1>
        <div className="row">
          <PauseButton />
          <button type="button" className="danger" onClick={() => setRevokingAll(true)} data-testid="tokens-revoke-all">
            Revoke all
          </button>
          <a className="button primary" href={routeHref({ page: 'token-new' })} data-testid="token-new">
            New token
          </a>
        </div>
      </header>
      <div className="tabs" role="group" aria-label="Show">
        {TOKEN_FILTERS.map((f) => (
          <button key={f} type="button" aria-pressed={filter === f} onClick={() => setFilter(f)} data-testid={`token-filter-${f}`}>
            {TOKEN_FILTER_LABELS[f]}
          </button>
        ))}
      </div>
      <LoadedView data={tokens.data} onRetry={tokens.reload}>
        {(list) => {
          const shown = sortTokens(list.filter((t) => matchesFilter(t, filter)));
          if (shown.length === 0) {
            return (
              <EmptyState title={list.length === 0 ? 'No tokens yet' : `No ${TOKEN_FILTER_LABELS[filter].toLowerCase()} tokens`} testId="tokens-empty">
                <p>A token is a valet key for one agent: the vaults you pick, for as long as you say, bound to the agent’s own key.</p>
              </EmptyState>
            );
          }
          return <TokenTable tokens={shown} vaultNames={vaultNames} onRevoked={(n) => {
                toast(n === 1 ? 'Token revoked.' : `${n} tokens revoked.`);
                tokens.reload();
              }} />;
        }}
      </LoadedView>
      <ConfirmDialog
        open={revokingAll}
        title="Revoke every token?"
        confirmLabel="Revoke all"
        onClose={() => setRevokingAll(false)}
        onConfirm={async () => {
          const { revoked } = await admin.revokeAllTokens({});
          toast(`${revoked} tokens revoked.`);
          tokens.reload();
        }}
      >
        <p>Every agent loses access at once and must be given a new token. To stop them for a while instead, pause all agents.</p>
      </ConfirmDialog>
    </div>
  );
}

/** The kill switch: pausing is safe and immediate; resuming widens access again, so it is a grant. */
export function PauseButton() {
  const { status } = useStatus();
  const { busy, run } = useStatusAction();
  const toggle = () => run(() => (status.agentsPaused ? admin.resumeAgents({}) : admin.pauseAgents({})));
  return (
    <button type="button" disabled={busy} onClick={() => void toggle()} data-testid={status.agentsPaused ? 'agents-resume' : 'agents-pause'}>
      {status.agentsPaused ? 'Resume agents' : 'Pause all agents'}
    </button>
  );
}
