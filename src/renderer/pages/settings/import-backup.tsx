import { admin } from '../../api/admin.js';
import { LoadedView } from '../../components/loaded.js';
import { useAdminData } from '../../hooks/use-admin-data.js';
import { BackupForm, PlaintextExportForm, RestoreFormView } from './backup-forms.js';
import { ImportDropZone } from '../import/import-drop-zone.js';

/** Bring your vaults: import, encrypted backup and restore, plaintext export. Each is a grant. */
export function ImportBackup() {
  const { data, reload } = useAdminData(() => admin.listVaults({}), [], ['vaults.changed']);
  return (
    <LoadedView data={data} onRetry={reload}>
      {(vaults) => (
        <div className="stack">
          <p className="muted">
            Drop a file to import it; backups and exports are read and written by the engine, on its own machine, so give full paths there. Each of these asks you
            to confirm.
          </p>
          <details open>
            <summary>Import from another password manager</summary>
            <ImportDropZone vaults={vaults} />
          </details>
          <details>
            <summary>Encrypted backup</summary>
            <BackupForm vaults={vaults} />
          </details>
          <details>
            <summary>Restore a backup</summary>
            <RestoreFormView vaults={vaults} />
          </details>
          <details>
            <summary>Export unencrypted (Bitwarden JSON)</summary>
            <PlaintextExportForm vaults={vaults} />
          </details>
        </div>
      )}
    </LoadedView>
  );
}
