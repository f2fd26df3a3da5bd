import { useState } from 'react';
import type { AuditQuery } from '../../../shared/model.js';
import { admin } from '../../api/admin.js';
import { useToast } from '../../components/toast.js';
import { EXPORT_FORMATS, EXPORT_MIME, exportAudit, exportFileName, type ExportFormat, type ExportNames } from '../../lib/audit-export.js';
import { downloadText } from '../../lib/download.js';
import { errorText } from '../../lib/vk-error.js';

/** Names for the export's name columns; while locked they cannot be read, and the ids stand alone. */
async function currentNames(): Promise<ExportNames> {
  const [vaults, entries] = await Promise.all([admin.listVaults({}).catch(() => []), admin.listEntries({}).catch(() => [])]);
  return { vaults: new Map(vaults.map((v) => [v.id, v.name])), entries: new Map(entries.map((e) => [e.id, e.title])) };
}

const LABELS: Readonly<Record<ExportFormat, string>> = { csv: 'Export CSV', jsonl: 'Export JSON Lines' };

/** Downloads every row the filters match, paged from the engine into a Blob in the page. */
export function ExportButtons({ query }: { readonly query: () => AuditQuery }) {
  const [progress, setProgress] = useState<number | undefined>(undefined);
  const toast = useToast();
  const run = async (format: ExportFormat) => {
    setProgress(0);
    try {
      const chunks = await exportAudit(format, (q) => admin.queryAudit(q), query(), setProgress, await currentNames());
      downloadText(chunks, exportFileName(format, Date.now()), EXPORT_MIME[format]);
    } catch (e) {
      toast(errorText(e), 'error');
    } finally {
      setProgress(undefined);
    }
  };
  return (
    <div className="row">
      {EXPORT_FORMATS.map((f) => (
        <button key={f} type="button" className="button-small" disabled={progress !== undefined} onClick={() => void run(f)} data-testid={`audit-export-${f}`}>
          {LABELS[f]}
        </button>
      ))}
      {progress !== undefined && (
        <span className="muted small" role="status">
          {progress} rows…
        </span>
      )}
    </div>
  );
}
