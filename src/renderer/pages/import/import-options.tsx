import { IMPORT_FORMATS, type VaultInfo } from '../../../shared/model.js';
import { VaultSelect } from '../../components/form-parts.js';
import { IMPORT_FORMAT_LABELS, isImportFormat } from '../../lib/transfer-forms.js';
import { needsKdbxPassword, type UploadImportForm } from '../../lib/upload-import-form.js';

/** Where the file goes and how to read it: format, target vault (existing or new), KeePass password. */
export function ImportOptions({
  fileName,
  form,
  vaults,
  onChange,
}: {
  readonly fileName: string;
  readonly form: UploadImportForm;
  readonly vaults: readonly VaultInfo[];
  readonly onChange: (changes: Partial<UploadImportForm>) => void;
}) {
  return (
    <>
      <div className="row">
        <label className="field">
          <span>Into</span>
          <VaultSelect value={form.vaultId} vaults={vaults} noneLabel="A new vault…" onChange={(vaultId) => onChange({ vaultId })} testId="import-vault" />
        </label>
        {form.vaultId === '' && (
          <label className="field grow">
            <span>New vault’s name</span>
            <input value={form.newVaultName} onChange={(e) => onChange({ newVaultName: e.target.value })} data-testid="import-new-vault" />
          </label>
        )}
        <label className="field">
          <span>Format</span>
          <select value={form.format} onChange={(e) => onChange({ format: isImportFormat(e.target.value) ? e.target.value : '' })} data-testid="import-format">
            <option value="">Detect it</option>
            {IMPORT_FORMATS.map((f) => (
              <option key={f} value={f}>
                {IMPORT_FORMAT_LABELS[f]}
              </option>
            ))}
          </select>
        </label>
      </div>
      {needsKdbxPassword(fileName, form.format) && (
        <label className="field">
          <span>KeePass database password</span>
          <input type="password" value={form.kdbxPassword} onChange={(e) => onChange({ kdbxPassword: e.target.value })} data-testid="import-kdbx-password" />
        </label>
      )}
      <label className="inline">
        <input type="checkbox" checked={form.keepDuplicates} onChange={(e) => onChange({ keepDuplicates: e.target.checked })} data-testid="import-keep-duplicates" />
        Also import items that look like entries already in the vault
      </label>
    </>
  );
}
