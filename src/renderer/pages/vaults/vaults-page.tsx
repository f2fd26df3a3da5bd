import { useEffect, useState } from 'react';
import type { VaultInfo } from '../../../shared/model.js';
import { admin } from '../../api/admin.js';
import { EmptyState } from '../../components/error-notice.js';
import { LoadedView } from '../../components/loaded.js';
import { VaultBadge } from '../../components/vault-badge.js';
import { useAdminData } from '../../hooks/use-admin-data.js';
import { navigate } from '../../hooks/use-route.js';
import { routeHref } from '../../lib/route.js';
import { ImportDropZone } from '../import/import-drop-zone.js';
import { EntryList } from './entry-list.js';
import { VaultDialog } from './vault-dialog.js';

export function VaultsPage({ vaultId, entryId }: { readonly vaultId: string | undefined; readonly entryId: string | undefined }) {
  const { data, reload } = useAdminData(() => admin.listVaults({}), [], ['vaults.changed']);
  const [creating, setCreating] = useState(false);
  const vaults = data.state === 'ok' ? data.value : undefined;
  const selected = vaults?.find((v) => v.id === vaultId);

  useEffect(() => {
    // Land on the first vault rather than an empty middle column.
    const first = vaults?.[0];
    if (first !== undefined && selected === undefined) navigate({ page: 'vaults', vaultId: first.id });
  }, [vaults, selected]);

  return (
    <div className="vaults-layout">
      <aside className="vault-sidebar" aria-label="Vaults">
        <div className="row spread">
          <h1>Vaults</h1>
          <button type="button" className="primary button-small" onClick={() => setCreating(true)} data-testid="vault-new">
            New vault
          </button>
        </div>
        <LoadedView data={data} onRetry={reload}>
          {(list) =>
            list.length === 0 ? (
              <EmptyState title="No vaults yet" testId="vaults-empty">
                <p>A vault groups secrets you hand out together: one for your coding agent, one for accounting, one just for you.</p>
              </EmptyState>
            ) : (
              <VaultList vaults={list} selectedId={selected?.id} />
            )
          }
        </LoadedView>
        {vaults !== undefined && <ImportDropZone vaults={vaults} compact onImported={(r) => navigate({ page: 'vaults', vaultId: r.vault.id })} />}
      </aside>
      {selected !== undefined && <EntryList key={selected.id} vault={selected} entryId={entryId} />}
      <VaultDialog open={creating} onClose={() => setCreating(false)} onSaved={(v) => navigate({ page: 'vaults', vaultId: v.id })} />
    </div>
  );
}

function VaultList({ vaults, selectedId }: { readonly vaults: readonly VaultInfo[]; readonly selectedId: string | undefined }) {
  return (
    <ul className="vault-list">
      {vaults.map((v) => (
        <li key={v.id}>
          <a
            href={routeHref({ page: 'vaults', vaultId: v.id })}
            className="vault-link"
            aria-current={v.id === selectedId ? 'page' : undefined}
            data-testid="vault-item"
            data-vault-name={v.name}
          >
            <VaultBadge icon={v.icon} colour={v.colour} name={v.name} />
            <span className="vault-link-text">
              <span className="vault-name">{v.name}</span>
              <span className="muted small">
                {v.entryCount} {v.entryCount === 1 ? 'entry' : 'entries'}
                {v.approval.mode !== 'none' && ' · asks first'}
              </span>
            </span>
          </a>
        </li>
      ))}
    </ul>
  );
}
