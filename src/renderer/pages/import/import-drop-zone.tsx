import { useRef, useState, type DragEvent } from 'react';
import type { ImportResult, StagedUpload, VaultInfo } from '../../../shared/model.js';
import { stageFile } from '../../api/upload.js';
import { ErrorNotice } from '../../components/error-notice.js';
import { Modal } from '../../components/modal.js';
import { ImportWizard } from './import-wizard.js';

/**
 * Import by drag and drop: drop an export file here (or choose one, for keyboard users), the
 * engine stages it, and the import dialog walks through the dry run to the import.
 */
export function ImportDropZone({
  vaults,
  onImported,
  compact = false,
}: {
  readonly vaults: readonly VaultInfo[];
  readonly onImported?: (result: ImportResult) => void;
  readonly compact?: boolean;
}) {
  const input = useRef<HTMLInputElement>(null);
  const [over, setOver] = useState(false);
  const [uploading, setUploading] = useState<string | undefined>(undefined);
  const [failed, setFailed] = useState<{ readonly file: string; readonly error: unknown } | undefined>(undefined);
  const [staged, setStaged] = useState<StagedUpload | undefined>(undefined);

  const take = async (file: File | undefined) => {
    if (file === undefined) return;
    setFailed(undefined);
    setUploading(file.name);
    try {
      setStaged(await stageFile(file));
    } catch (error) {
      setFailed({ file: file.name, error });
    } finally {
      setUploading(undefined);
      if (input.current !== null) input.current.value = '';
    }
  };
  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setOver(false);
    void take(e.dataTransfer.files[0]);
  };

  return (
    <>
      <div
        className={`drop-zone${over ? ' drop-zone-over' : ''}${compact ? ' drop-zone-compact' : ''}`}
        onDragOver={(e) => {
          // Without this the browser opens the dropped file itself.
          e.preventDefault();
          e.dataTransfer.dropEffect = 'copy';
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={onDrop}
        data-testid="import-drop-zone"
      >
        <p className={compact ? 'small muted' : undefined}>
          {compact ? 'Drop an export file here to import it.' : 'Drop an export from Bitwarden, 1Password, KeePass, Proton Pass, Chrome or Firefox here to import it.'}
        </p>
        <button type="button" className="button-small" disabled={uploading !== undefined} onClick={() => input.current?.click()} data-testid="import-choose">
          Choose a file…
        </button>
        <input ref={input} type="file" hidden onChange={(e) => void take(e.target.files?.[0])} data-testid="import-file" />
        {uploading !== undefined && (
          <p className="muted small" role="status">
            Handing {uploading} to the engine…
          </p>
        )}
        {failed !== undefined && (
          <div className="stack" data-testid="import-upload-failed">
            <p className="small">{failed.file} could not be staged:</p>
            <ErrorNotice error={failed.error} testId="import-upload-error" />
          </div>
        )}
      </div>
      <Modal open={staged !== undefined} title={`Import ${staged?.name ?? ''}`} onClose={() => setStaged(undefined)} testId="import-dialog" wide>
        {staged !== undefined && (
          <ImportWizard
            key={staged.uploadId}
            upload={staged}
            vaults={vaults}
            onDone={(result) => {
              setStaged(undefined);
              if (result !== undefined) onImported?.(result);
            }}
          />
        )}
      </Modal>
    </>
  );
}
