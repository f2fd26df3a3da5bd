import { useState, type FormEvent } from 'react';
import { IMPORT_FORMATS, type ImportPreview, type ImportResult, type VaultInfo } from '../../../shared/model.js';
import { admin } from '../../api/admin.js';
import { ErrorNotice } from '../../components/error-notice.js';
import { EMPTY_IMPORT_FORM, IMPORT_FORMAT_LABELS, isImportFormat, pathProblem, toImportRequest, type ImportForm } from '../../lib/transfer-forms.js';

/** Import from another password manager: a dry run first (what would come in, what would not), then the import. */
export function ImportFormView({ vaults }: { readonly vaults: readonly VaultInfo[] }) {
  const [form, setForm] = useState<ImportForm>(EMPTY_IMPORT_FORM);
  const [preview, setPreview] = useState<ImportPreview | undefined>(undefined);
  const [result, setResult] = useState<ImportResult | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const set = (changes: Partial<ImportForm>) => {
    setForm((f) => ({ ...f, ...changes }));
    setPreview(undefined);
    setResult(undefined);
  };
  const problem = pathProblem(form.path);

  const run = async (step: 'preview' | 'import') => {
    setBusy(true);
    setError(undefined);
    try {
      if (step === 'preview') setPreview(await admin.previewImport(toImportRequest(form)));
      else {
        setResult(await admin.runImport(toImportRequest(form)));
        setPreview(undefined);
      }
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      className="stack"
      onSubmit={(e: FormEvent) => {
        e.preventDefault();
        void run('preview');
      }}
      data-testid="import-form"
    >
      <div className="row">
        <label className="field grow">
          <span>File to import (full path on this machine)</span>
          <input value={form.path} onChange={(e) => set({ path: e.target.value })} placeholder="/home/me/Downloads/bitwarden_export.json" data-testid="import-path" />
        </label>
        <label className="field">
          <span>Format</span>
          <select value={form.format} onChange={(e) => set({ format: isImportFormat(e.target.value) ? e.target.value : '' })} data-testid="import-format">
            <option value="">Detect it</option>
            {IMPORT_FORMATS.map((f) => (
              <option key={f} value={f}>
                {IMPORT_FORMAT_LABELS[f]}
              </option>
            ))}
          </select>
        </label>
      </div>
      <div className="row">
        <label className="field">
          <span>Into</span>
          <select value={form.vaultId} onChange={(e) => set({ vaultId: e.target.value })} data-testid="import-vault">
            <option value="">A new vault…</option>
            {vaults.map((v) => (
              <option key={v.id} value={v.id}>
                {v.name}
              </option>
            ))}
          </select>
        </label>
        {form.vaultId === '' && (
          <label className="field grow">
            <span>New vault’s name</span>
            <input value={form.newVaultName} onChange={(e) => set({ newVaultName: e.target.value })} data-testid="import-new-vault" />
          </label>
        )}
        {(form.format === 'kdbx' || form.path.trim().toLowerCase().endsWith('.kdbx')) && (
          <label className="field grow">
            <span>KeePass database password</span>
            <input type="password" value={form.kdbxPassword} onChange={(e) => set({ kdbxPassword: e.target.value })} data-testid="import-kdbx-password" />
          </label>
        )}
      </div>
      <label className="inline">
        <input type="checkbox" checked={form.keepDuplicates} onChange={(e) => set({ keepDuplicates: e.target.checked })} />
        Also import items that look like entries already in the vault
      </label>
      {preview !== undefined && <PreviewView preview={preview} />}
      {result !== undefined && (
        <p className="notice notice-ok" role="status" data-testid="import-result">
          Imported {result.imported} entries into {result.vault.name}
          {result.duplicatesSkipped > 0 && `, skipped ${result.duplicatesSkipped} duplicates`}
          {result.skipped > 0 && `, ${result.skipped} items could not be read`}.
        </p>
      )}
      {error !== undefined && <ErrorNotice error={error} />}
      <div className="row">
        <button type="submit" disabled={busy || problem !== undefined} data-testid="import-preview">
          Check the file
        </button>
        <button type="button" className="primary" disabled={busy || preview === undefined || preview.toImport === 0} onClick={() => void run('import')} data-testid="import-run">
          {preview === undefined ? 'Import' : `Import ${preview.toImport} entries`}
        </button>
        {form.path !== '' && problem !== undefined && <span className="muted small">{problem}</span>}
      </div>
    </form>
  );
}

function PreviewView({ preview }: { readonly preview: ImportPreview }) {
  const notes = [...preview.skipped, ...preview.notMapped].slice(0, 10);
  return (
    <div className="notice stack" data-testid="import-preview-result">
      <p>
        {IMPORT_FORMAT_LABELS[preview.format]}: {preview.itemsInFile} items. {preview.toImport} would be imported into{' '}
        {preview.target.isNew ? `a new vault “${preview.target.vaultName}”` : preview.target.vaultName} ({preview.byKind.login} logins, {preview.byKind.api_key} API keys,{' '}
        {preview.byKind.note} notes); {preview.duplicateCount} duplicates, {preview.skippedCount} unreadable, {preview.notMappedCount} with parts that do not map.
      </p>
      {preview.general.length > 0 && (
        <ul className="small">
          {preview.general.map((g) => (
            <li key={g}>{g}</li>
          ))}
        </ul>
      )}
      {notes.length > 0 && (
        <ul className="small muted">
          {notes.map((n) => (
            <li key={`${n.where}-${n.reason}`}>
              {n.where} “{n.title}”: {n.reason}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
