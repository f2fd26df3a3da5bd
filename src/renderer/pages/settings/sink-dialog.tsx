import { useEffect, useState } from 'react';
import { AUDIT_SINK_KINDS, SYSLOG_TRANSPORTS } from '../../../shared/model.js';
import { admin } from '../../api/admin.js';
import { ChoiceSelect, DialogActions } from '../../components/form-parts.js';
import { Modal } from '../../components/modal.js';
import { useAction } from '../../hooks/use-action.js';
import { EMPTY_SINK_FORM, SINK_KIND_LABELS, toSinkInput, type SinkForm } from '../../lib/sink-form.js';

type Set = (changes: Partial<SinkForm>) => void;

/** Adds a live audit stream. Changing where the audit log goes is a grant: the engine asks for proof. */
export function SinkDialog({ open, onClose, onAdded }: { readonly open: boolean; readonly onClose: () => void; readonly onAdded: () => void }) {
  const [form, setForm] = useState<SinkForm>(EMPTY_SINK_FORM);
  const { busy, error, setError, submit } = useAction();
  useEffect(() => {
    if (open) {
      setForm(EMPTY_SINK_FORM);
      setError(undefined);
    }
  }, [open]);
  const set: Set = (changes) => setForm((f) => ({ ...f, ...changes }));

  const add = async () => {
    await admin.addAuditSink({ sink: toSinkInput(form) });
    onAdded();
    onClose();
  };

  return (
    <Modal open={open} title="Add an audit stream" onClose={onClose} testId="sink-dialog" wide>
      <form className="stack" onSubmit={(e) => void submit(e, add)} autoComplete="off">
        <div className="row">
          <label className="field grow">
            <span>Name</span>
            <input value={form.name} onChange={(e) => set({ name: e.target.value })} required maxLength={64} autoFocus data-testid="sink-name" />
          </label>
          <label className="field">
            <span>Kind</span>
            <ChoiceSelect value={form.kind} choices={AUDIT_SINK_KINDS} label={(k) => SINK_KIND_LABELS[k]} onChange={(kind) => set({ kind })} testId="sink-kind" />
          </label>
        </div>
        {form.kind === 'syslog' ? <SyslogFields form={form} set={set} /> : <HttpFields form={form} set={set} />}
        <fieldset className="stack">
          <legend>Start from</legend>
          <label className="inline">
            <input type="radio" name="sink-start" checked={form.startAt === 'now'} onChange={() => set({ startAt: 'now' })} />
            New rows from now on
          </label>
          <label className="inline">
            <input type="radio" name="sink-start" checked={form.startAt === 'oldest'} onChange={() => set({ startAt: 'oldest' })} data-testid="sink-start-oldest" />
            Every row still in the log
          </label>
        </fieldset>
        <DialogActions error={error} busy={busy} onCancel={onClose} label="Add stream" busyLabel="Adding…" testId="sink-save" />
      </form>
    </Modal>
  );
}

function SyslogFields({ form, set }: { readonly form: SinkForm; readonly set: Set }) {
  return (
    <>
      <div className="row">
        <label className="field">
          <span>Transport</span>
          <ChoiceSelect value={form.transport} choices={SYSLOG_TRANSPORTS} label={(t) => t.toUpperCase()} onChange={(transport) => set({ transport })} testId="sink-transport" />
        </label>
        <label className="field grow">
          <span>Host</span>
          <input value={form.host} onChange={(e) => set({ host: e.target.value })} required data-testid="sink-host" />
        </label>
        <label className="field">
          <span>Port</span>
          <input inputMode="numeric" value={form.port} onChange={(e) => set({ port: e.target.value })} required data-testid="sink-port" />
        </label>
        <label className="field">
          <span>Facility (default 13)</span>
          <input inputMode="numeric" value={form.facility} onChange={(e) => set({ facility: e.target.value })} />
        </label>
      </div>
      {form.transport === 'tls' && <CaField form={form} set={set} />}
    </>
  );
}

function HttpFields({ form, set }: { readonly form: SinkForm; readonly set: Set }) {
  const hec = form.kind === 'splunk_hec';
  return (
    <>
      <label className="field">
        <span>{hec ? 'Splunk base URL (e.g. https://splunk.example:8088)' : 'Webhook URL'}</span>
        <input type="url" value={form.url} onChange={(e) => set({ url: e.target.value })} required data-testid="sink-url" />
      </label>
      <label className="field">
        <span>{hec ? 'HEC token' : 'HMAC signing key'} (16+ characters; stored sealed, never shown again)</span>
        <input type="password" value={form.credential} onChange={(e) => set({ credential: e.target.value })} required data-testid="sink-credential" />
      </label>
      <div className="row">
        {hec && (
          <>
            <label className="field grow">
              <span>Index (optional)</span>
              <input value={form.index} onChange={(e) => set({ index: e.target.value })} />
            </label>
            <label className="field grow">
              <span>Source type (optional)</span>
              <input value={form.sourcetype} onChange={(e) => set({ sourcetype: e.target.value })} />
            </label>
          </>
        )}
        <label className="field">
          <span>Rows per request (default 100)</span>
          <input inputMode="numeric" value={form.batchSize} onChange={(e) => set({ batchSize: e.target.value })} />
        </label>
      </div>
      {form.url.trim().startsWith('https:') && <CaField form={form} set={set} />}
    </>
  );
}

function CaField({ form, set }: { readonly form: SinkForm; readonly set: Set }) {
  return (
    <label className="field">
      <span>CA certificate (PEM; leave empty to trust the system’s CAs)</span>
      <textarea rows={3} value={form.caPem} onChange={(e) => set({ caPem: e.target.value })} />
    </label>
  );
}
