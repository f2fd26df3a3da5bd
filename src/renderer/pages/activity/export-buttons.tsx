import type { AuditQuery } from '../../../shared/model.js';
import { admin } from '../../api/admin.js';
import { useToastedAction } from '../../hooks/use-toasted-action.js';
import { downloadText } from '../../lib/download.js';

const FORMATS = ['csv', 'jsonl'] as const;
type DownloadFormat = (typeof FORMATS)[number];
const LABELS: Readonly<Record<DownloadFormat, string>> = { csv: 'Export CSV', jsonl: 'Export JSON Lines' };

/**
 * Downloads every row the filters match, made by the engine's own export (the documented columns,
 * and for JSON Lines the header `valetkey audit verify --export` checks).
 */
export function ExportButtons({ query }: { readonly query: () => AuditQuery }) {
  const { busy, run: runAction } = useToastedAction();
  const run = (format: DownloadFormat) =>
    runAction(async () => {
      const { beforeSeq: _b, limit: _l, ...filter } = query();
      const file = await admin.downloadAuditExport({ format, filter });
      downloadText([file.content], file.fileName, file.contentType);
    });
  return (
    <div className="row">
      {FORMATS.map((f) => (
        <button key={f} type="button" className="button-small" disabled={busy} onClick={() => void run(f)} data-testid={`audit-export-${f}`}>
          {LABELS[f]}
        </button>
      ))}
      {busy && (
        <span className="muted small" role="status">
          Exporting…
        </span>
      )}
    </div>
  );
}
