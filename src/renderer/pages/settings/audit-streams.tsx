import { useState } from 'react';
import type { AuditSinkInfo } from '../../../shared/model.js';
import { admin } from '../../api/admin.js';
import { ConfirmDialog } from '../../components/confirm-dialog.js';
import { EmptyState } from '../../components/error-notice.js';
import { LoadedView } from '../../components/loaded.js';
import { useToast } from '../../components/toast.js';
import { useAdminData } from '../../hooks/use-admin-data.js';
import { formatDateTime } from '../../lib/format-time.js';
import { SINK_KIND_LABELS, sinkTarget } from '../../lib/sink-form.js';
import { errorText } from '../../lib/vk-error.js';
import { RetentionForm } from './retention-form.js';
import { SinkDialog } from './sink-dialog.js';

const STATE_LABELS: Readonly<Record<AuditSinkInfo['health']['state'], string>> = {
  ok: 'Delivering',
  retrying: 'Retrying',
  paused_locked: 'Waits for unlock',
  disabled: 'Off',
};

/** Live audit streams (syslog, Splunk HEC, webhook) with their health, and the log's retention. */
export function AuditStreams() {
  const { data, reload } = useAdminData(() => admin.listAuditSinks({}), [], ['audit.appended']);
  const [adding, setAdding] = useState(false);
  const [removing, setRemoving] = useState<AuditSinkInfo | undefined>(undefined);
  return (
    <div className="stack">
      <p className="muted">Each stream keeps its own cursor, so nothing is lost or sent twice across restarts. Adding, changing or removing one asks you to confirm.</p>
      <LoadedView data={data} onRetry={reload}>
        {(sinks) =>
          sinks.length === 0 ? (
            <EmptyState title="No streams" testId="sinks-empty" />
          ) : (
            <ul className="plain-list stack">
              {sinks.map((s) => (
                <SinkRow key={s.id} sink={s} onChanged={reload} onRemove={() => setRemoving(s)} />
              ))}
            </ul>
          )
        }
      </LoadedView>
      <div>
        <button type="button" onClick={() => setAdding(true)} data-testid="sink-add">
          Add a stream
        </button>
      </div>
      <h3>Retention</h3>
      <RetentionForm />
      <SinkDialog open={adding} onClose={() => setAdding(false)} onAdded={reload} />
      <ConfirmDialog
        open={removing !== undefined}
        title={`Remove ${removing?.name ?? 'stream'}?`}
        confirmLabel="Remove stream"
        onClose={() => setRemoving(undefined)}
        onConfirm={async () => {
          if (removing !== undefined) await admin.removeAuditSink({ sinkId: removing.id });
          reload();
        }}
      >
        <p>Rows stop going there. The audit log itself is untouched.</p>
      </ConfirmDialog>
    </div>
  );
}

function SinkRow({ sink, onChanged, onRemove }: { readonly sink: AuditSinkInfo; readonly onChanged: () => void; readonly onRemove: () => void }) {
  const toast = useToast();
  const run = async (action: () => Promise<string>) => {
    try {
      toast(await action());
      onChanged();
    } catch (e) {
      toast(errorText(e), 'error');
    }
  };
  const test = async () => {
    const r = await admin.testAuditSink({ sinkId: sink.id });
    return r.ok ? `Test message delivered in ${r.milliseconds} ms.` : `Test failed: ${r.error ?? 'no answer'}`;
  };
  const toggle = async () => {
    await admin.updateAuditSink({ sinkId: sink.id, changes: { enabled: !sink.enabled } });
    return sink.enabled ? 'Stream turned off.' : 'Stream turned on.';
  };
  const h = sink.health;
  return (
    <li className="card stack" data-testid="sink-row" data-sink-name={sink.name}>
      <div className="row spread">
        <div>
          <strong>{sink.name}</strong> <span className="muted small">{SINK_KIND_LABELS[sink.kind]}</span>
          <div className="small">
            <code>{sinkTarget(sink.config)}</code>
          </div>
        </div>
        <span className={`status status-sink-${h.state}`} data-testid="sink-state">
          {STATE_LABELS[h.state]}
        </span>
      </div>
      <p className="small muted">
        Delivered up to row #{h.lastDeliveredSeq}
        {h.lastDeliveredAt !== null && ` at ${formatDateTime(h.lastDeliveredAt)}`} · {h.lag} waiting
        {h.lastError !== null && ` · last error: ${h.lastError}`}
      </p>
      <div className="row">
        <button type="button" className="button-small" onClick={() => void run(test)} data-testid="sink-test">
          Send a test
        </button>
        <button type="button" className="button-small" onClick={() => void run(toggle)} data-testid="sink-toggle">
          {sink.enabled ? 'Turn off' : 'Turn on'}
        </button>
        <button type="button" className="button-small danger" onClick={onRemove} data-testid="sink-remove">
          Remove
        </button>
      </div>
    </li>
  );
}
