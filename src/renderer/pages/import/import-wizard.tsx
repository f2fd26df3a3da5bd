import { useEffect, useRef, useState } from 'react';
import type { ImportPreview, ImportResult, StagedUpload, VaultInfo } from '../../../shared/model.js';
import { admin } from '../../api/admin.js';
import { ErrorNotice } from '../../components/error-notice.js';
import { useAction } from '../../hooks/use-action.js';
import { initialUploadForm, uploadFormProblem, uploadImportRequest, type UploadImportForm } from '../../lib/upload-import-form.js';
import { ImportOptions } from './import-options.js';
import { ImportPreviewView } from './import-preview-view.js';

/**
 * An uploaded file, from dry run to import: the preview runs by itself (unless a KeePass password
 * is needed first) and again after any change; nothing is written until the person confirms.
 */
export function ImportWizard({
  upload,
  vaults,
  onDone,
}: {
  readonly upload: StagedUpload;
  readonly vaults: readonly VaultInfo[];
  readonly onDone: (result: ImportResult | undefined) => void;
}) {
  const [form, setForm] = useState<UploadImportForm>(() => initialUploadForm(upload.name));
  const [preview, setPreview] = useState<ImportPreview | undefined>(undefined);
  const [result, setResult] = useState<ImportResult | undefined>(undefined);
  const { busy, error, run: step } = useAction();
  const problem = uploadFormProblem(upload.name, form);
  const request = uploadImportRequest(upload.uploadId, upload.name, form);

  const check = () => step(async () => setPreview(await admin.previewImport(request)));
  const confirm = () => step(async () => setResult(await admin.runImport(request)));

  const started = useRef(false);
  useEffect(() => {
    if (started.current || problem !== undefined) return;
    started.current = true;
    void check();
    // Once, on arrival; later previews follow the person's changes (the button).
  }, []);

  if (result !== undefined) return <ImportDone result={result} onDone={() => onDone(result)} />;
  return (
    <form
      className="stack"
      onSubmit={(e) => {
        e.preventDefault();
        void check();
      }}
      data-testid="import-form"
    >
      <p className="muted small" data-testid="import-file-name">
        {upload.name} ({formatBytes(upload.bytes)}), held by the engine for 15 minutes.
      </p>
      <ImportOptions
        fileName={upload.name}
        form={form}
        vaults={vaults}
        onChange={(changes) => {
          setForm((f) => ({ ...f, ...changes }));
          setPreview(undefined);
        }}
      />
      {busy && preview === undefined && <p className="muted" role="status">Reading {upload.name}…</p>}
      {preview !== undefined && <ImportPreviewView preview={preview} />}
      {error !== undefined && <ErrorNotice error={error} testId="import-error" />}
      <div className="actions">
        {problem !== undefined && <span className="muted small">{problem}</span>}
        <button type="button" onClick={() => onDone(undefined)} data-testid="import-cancel">
          Cancel
        </button>
        <button type="submit" disabled={busy || problem !== undefined} data-testid="import-preview">
          {preview === undefined ? 'Check the file' : 'Check again'}
        </button>
        <button type="button" className="primary" disabled={busy || preview === undefined || preview.toImport === 0} onClick={() => void confirm()} data-testid="import-run">
          {preview === undefined ? 'Import' : `Import ${preview.toImport} entries`}
        </button>
      </div>
    </form>
  );
}

function ImportDone({ result, onDone }: { readonly result: ImportResult; readonly onDone: () => void }) {
  return (
    <div className="stack">
      <p className="notice notice-ok" role="status" data-testid="import-result">
        Imported {result.imported} entries into {result.vault.name}
        {result.duplicatesSkipped > 0 && `, skipped ${result.duplicatesSkipped} duplicates`}
        {result.skipped > 0 && `, ${result.skipped} items could not be read`}.
      </p>
      <div className="actions">
        <button type="button" className="primary" onClick={onDone} data-testid="import-done">
          Open {result.vault.name}
        </button>
      </div>
    </div>
  );
}

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
}
