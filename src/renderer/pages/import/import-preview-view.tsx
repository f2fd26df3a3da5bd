import type { ImportItemNote, ImportPreview } from '../../../shared/model.js';
import { IMPORT_FORMAT_LABELS } from '../../lib/transfer-forms.js';

/** The dry run, as the person decides on it: counts first, then what will not come in and why. */
export function ImportPreviewView({ preview }: { readonly preview: ImportPreview }) {
  const target = preview.target.isNew ? `a new vault “${preview.target.vaultName}”` : `“${preview.target.vaultName}”`;
  return (
    <div className="notice stack" data-testid="import-preview-result">
      <p>
        {preview.file}: {IMPORT_FORMAT_LABELS[preview.format]}, {preview.itemsInFile} items. Nothing has been written yet.
      </p>
      <dl className="facts import-counts">
        <Count label={`Would be imported into ${target}`} value={preview.toImport} id="new" />
        <Count label="Logins" value={preview.byKind.login} id="login" />
        <Count label="API keys" value={preview.byKind.api_key} id="api_key" />
        <Count label="Notes" value={preview.byKind.note} id="note" />
        <Count label="Duplicates of entries already there" value={preview.duplicateCount} id="duplicates" />
        <Count label="Skipped" value={preview.skippedCount} id="skipped" />
        <Count label="With parts that cannot be kept" value={preview.notMappedCount} id="not-mapped" />
      </dl>
      {preview.general.length > 0 && (
        <ul className="small">
          {preview.general.map((g) => (
            <li key={g}>{g}</li>
          ))}
        </ul>
      )}
      <Notes title="Duplicates" notes={preview.duplicates} total={preview.duplicateCount} id="duplicates" />
      <Notes title="Skipped" notes={preview.skipped} total={preview.skippedCount} id="skipped" />
      <Notes title="Not kept" notes={preview.notMapped} total={preview.notMappedCount} id="not-mapped" />
    </div>
  );
}

function Count({ label, value, id }: { readonly label: string; readonly value: number; readonly id: string }) {
  return (
    <>
      <dt>{label}</dt>
      <dd data-testid={`import-count-${id}`}>{value}</dd>
    </>
  );
}

function Notes({ title, notes, total, id }: { readonly title: string; readonly notes: readonly ImportItemNote[]; readonly total: number; readonly id: string }) {
  if (total === 0) return null;
  return (
    <details data-testid={`import-notes-${id}`}>
      <summary>
        {title} ({total}
        {notes.length < total ? `, first ${notes.length} shown` : ''})
      </summary>
      <ul className="small muted">
        {notes.map((n, i) => (
          <li key={`${n.where}-${i}`}>
            {n.where} “{n.title}”: {n.reason}
          </li>
        ))}
      </ul>
    </details>
  );
}
