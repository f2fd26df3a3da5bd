import { useEffect, useState, type FormEvent } from 'react';
import { admin } from '../../api/admin.js';
import { ErrorNotice } from '../../components/error-notice.js';
import { LoadedView } from '../../components/loaded.js';
import { useToast } from '../../components/toast.js';
import { useAdminData } from '../../hooks/use-admin-data.js';
import { errorText } from '../../lib/vk-error.js';

function limitOf(text: string): number | null {
  const t = text.trim();
  return t === '' ? null : Number(t);
}

/** How long the audit log keeps rows; older ones are archived (signed) before they are deleted. */
export function RetentionForm() {
  const { data, reload } = useAdminData(() => admin.getAuditRetention({}), []);
  const [days, setDays] = useState('');
  const [rows, setRows] = useState('');
  const [error, setError] = useState<unknown>(undefined);
  const toast = useToast();
  useEffect(() => {
    if (data.state !== 'ok') return;
    setDays(data.value.keepDays === null ? '' : String(data.value.keepDays));
    setRows(data.value.keepRows === null ? '' : String(data.value.keepRows));
  }, [data]);

  const save = async (e: FormEvent) => {
    e.preventDefault();
    setError(undefined);
    try {
      await admin.setAuditRetention({ keepDays: limitOf(days), keepRows: limitOf(rows) });
      toast('Retention saved.');
      reload();
    } catch (err) {
      setError(err);
    }
  };
  const runNow = async () => {
    try {
      const r = await admin.runAuditRetention({});
      toast(r.deleted > 0 ? `${r.deleted} rows archived and removed.` : (r.note ?? 'Nothing to remove.'));
      reload();
    } catch (err) {
      toast(errorText(err), 'error');
    }
  };

  return (
    <LoadedView data={data} onRetry={reload}>
      {(info) => (
        <form className="stack" onSubmit={(e) => void save(e)} data-testid="retention-form">
          <div className="row row-end">
            <label className="field">
              <span>Keep rows for (days; empty = forever)</span>
              <input inputMode="numeric" value={days} onChange={(e) => setDays(e.target.value)} data-testid="retention-days" />
            </label>
            <label className="field">
              <span>Keep at most (rows; empty = no limit)</span>
              <input inputMode="numeric" value={rows} onChange={(e) => setRows(e.target.value)} data-testid="retention-rows" />
            </label>
            <button type="submit" data-testid="retention-save">
              Save
            </button>
            <button type="button" onClick={() => void runNow()} data-testid="retention-run">
              Archive now
            </button>
          </div>
          <p className="muted small">
            Archives go to <code>{info.archiveDir}</code> ({info.archives.length} so far)
            {info.anchor !== null && `; the chain is checked from row #${info.anchor.seq + 1}`}.
          </p>
          {error !== undefined && <ErrorNotice error={error} />}
        </form>
      )}
    </LoadedView>
  );
}
