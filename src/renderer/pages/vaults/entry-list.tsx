import { useState } from 'react';
import type { VaultInfo } from '../../../shared/model.js';
import { admin } from '../../api/admin.js';
import { ConfirmDialog } from '../../components/confirm-dialog.js';
import { EmptyState } from '../../components/error-notice.js';
import { LoadedView } from '../../components/loaded.js';
import { useAdminData } from '../../hooks/use-admin-data.js';
import { navigate } from '../../hooks/use-route.js';
import { KIND_LABELS } from '../../lib/entry-form.js';
import { routeHref } from '../../lib/route.js';
import { EntryDetail } from './entry-detail.js';
import { EntryDialog } from './entry-dialog.js';
import { VaultDialog } from './vault-dialog.js';
import { VaultHeader } from './vault-header.js';

/** The selected vault: its header, its entries (searchable), and the chosen entry. */
export function EntryList({ vault, entryId }: { readonly vault: VaultInfo; readonly entryId: string | undefined }) {
  const [query, setQuery] = useState('');
  const [creating, setCreating] = useState(false);
  const [editingVault, setEditingVault] = useState(false);
  const [deletingVault, setDeletingVault] = useState(false);
  const trimmed = query.trim();
  const { data, reload } = useAdminData(
    () => admin.listEntries({ vaultId: vault.id, ...(trimmed ? { query: trimmed } : {}) }),
    [vault.id, trimmed],
    ['vaults.changed'],
  );
  const selected = data.state === 'ok' ? data.value.find((e) => e.id === entryId) : undefined;

  return (
    <>
      <section className="entry-column" aria-label={`Entries in ${vault.name}`}>
        <VaultHeader vault={vault} onEdit={() => setEditingVault(true)} onDelete={() => setDeletingVault(true)} />
        <div className="row">
          <input
            type="search"
            className="grow"
            placeholder="Search titles"
            aria-label="Search entries"
            value={query}
            onChange={(e) => setQuery(e.target.value)}
            data-testid="entry-search"
          />
          <button type="button" className="primary" onClick={() => setCreating(true)} data-testid="entry-new">
            New entry
          </button>
        </div>
        <LoadedView data={data} onRetry={reload}>
          {(entries) =>
            entries.length === 0 ? (
              <EmptyState title={trimmed ? 'Nothing matches' : 'This vault is empty'} testId="entries-empty">
                <p>{trimmed ? 'Try another part of the title.' : 'Add a login, an API key or a secure note.'}</p>
              </EmptyState>
            ) : (
              <ul className="entry-list">
                {entries.map((e) => (
                  <li key={e.id}>
                    <a
                      href={routeHref({ page: 'vaults', vaultId: vault.id, entryId: e.id })}
                      aria-current={e.id === entryId ? 'page' : undefined}
                      data-testid="entry-item"
                      data-entry-title={e.title}
                    >
                      <span className="entry-title">{e.title}</span>
                      <span className="muted small">
                        {KIND_LABELS[e.kind]}
                        {e.hasTotp && ' · one-time codes'}
                        {e.canary && (
                          <span className="chip chip-warn" data-testid="entry-canary" title="Any agent touching this entry trips an alert">
                            canary · {e.canary.onTrip}s the token
                          </span>
                        )}
                      </span>
                    </a>
                  </li>
                ))}
              </ul>
            )
          }
        </LoadedView>
      </section>
      <div className="detail-column">
        {selected !== undefined ? <EntryDetail vault={vault} summary={selected} /> : <p className="muted">Choose an entry to see its fields.</p>}
      </div>
      <EntryDialog
        open={creating}
        vaultId={vault.id}
        onClose={() => setCreating(false)}
        onSaved={(e) => navigate({ page: 'vaults', vaultId: vault.id, entryId: e.id })}
      />
      <VaultDialog open={editingVault} vault={vault} onClose={() => setEditingVault(false)} onSaved={() => undefined} />
      <ConfirmDialog
        open={deletingVault}
        title={`Delete ${vault.name}?`}
        confirmLabel="Delete vault"
        onClose={() => setDeletingVault(false)}
        onConfirm={async () => {
          await admin.deleteVault({ vaultId: vault.id });
          navigate({ page: 'vaults' });
        }}
      >
        <p>
          Its {vault.entryCount} {vault.entryCount === 1 ? 'entry goes' : 'entries go'} with it, and tokens that name it stop reaching anything there. This cannot be
          undone.
        </p>
      </ConfirmDialog>
    </>
  );
}
