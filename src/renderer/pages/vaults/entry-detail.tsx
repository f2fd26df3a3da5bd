import { useEffect, useState, type FormEvent } from 'react';
import { injectionText } from '../../../shared/injection-text.js';
import type { Entry, EntrySummary, VaultInfo } from '../../../shared/model.js';
import { admin } from '../../api/admin.js';
import { ConfirmDialog } from '../../components/confirm-dialog.js';
import { ErrorNotice } from '../../components/error-notice.js';
import { CopyButton } from '../../components/copy-button.js';
import { fieldLabel, KIND_LABELS } from '../../lib/entry-form.js';
import { fieldRef } from '../../lib/enrollment-snippets.js';
import { formatDateTime } from '../../lib/format-time.js';
import { navigate } from '../../hooks/use-route.js';
import { EntryDialog } from './entry-dialog.js';
import { RevealedFields } from './revealed-fields.js';
import { TotpView } from './totp-view.js';

/** Revealed values leave the page's memory after this long, or when another entry is chosen. */
const REVEAL_MS = 60_000;
const EDIT_REASON = 'Editing the entry in the dashboard';

export function EntryDetail({ vault, summary }: { readonly vault: VaultInfo; readonly summary: EntrySummary }) {
  const [revealed, setRevealed] = useState<Entry | undefined>(undefined);
  const [editing, setEditing] = useState<Entry | undefined>(undefined);
  const [deleting, setDeleting] = useState(false);
  const [error, setError] = useState<unknown>(undefined);

  useEffect(() => {
    setRevealed(undefined);
    setEditing(undefined);
    setError(undefined);
  }, [summary.id, summary.version]);
  useEffect(() => {
    if (revealed === undefined) return undefined;
    const timer = setTimeout(() => setRevealed(undefined), REVEAL_MS);
    return () => clearTimeout(timer);
  }, [revealed]);

  const reveal = async (reason: string): Promise<Entry | undefined> => {
    setError(undefined);
    try {
      return await admin.getEntry({ vaultId: vault.id, entryId: summary.id, reason });
    } catch (e) {
      setError(e);
      return undefined;
    }
  };

  return (
    <section className="entry-detail" aria-labelledby="entry-title" data-testid="entry-detail">
      <header className="row spread">
        <div>
          <h2 id="entry-title">{summary.title}</h2>
          <p className="muted small">
            {KIND_LABELS[summary.kind]} · version {summary.version} · changed {formatDateTime(summary.updatedAt)}
          </p>
        </div>
        <div className="row">
          <button type="button" onClick={() => void reveal(EDIT_REASON).then((e) => e && setEditing(e))} data-testid="entry-edit">
            Edit
          </button>
          <button type="button" className="danger" onClick={() => setDeleting(true)} data-testid="entry-delete">
            Delete
          </button>
        </div>
      </header>
      {revealed === undefined ? (
        <HiddenFields vault={vault} summary={summary} onReveal={(reason) => void reveal(reason).then((e) => e && setRevealed(e))} />
      ) : (
        <RevealedFields entry={revealed} onHide={() => setRevealed(undefined)} />
      )}
      {summary.sshPublicKey !== undefined && (
        <div className="field" data-testid="entry-public-key">
          <span className="field-name">Public key (for authorized_keys or your forge)</span>
          <div className="row">
            <code className="grow public-key" data-testid="entry-public-key-line">
              {summary.sshPublicKey}
            </code>
            <CopyButton value={summary.sshPublicKey} secret={false} testId="entry-public-key-copy" />
          </div>
        </div>
      )}
      {summary.hasTotp && <TotpView vaultId={vault.id} entryId={summary.id} />}
      {summary.allowedHosts.length > 0 && (
        <p className="small">
          <span className="field-name">Agents may send it to</span> {summary.allowedHosts.join(', ')}
        </p>
      )}
      {summary.injection !== undefined && (
        <p className="small">
          <span className="field-name">The HTTPS proxy puts it in as</span> {injectionText(summary.injection)}
        </p>
      )}
      {Object.entries(summary.injectionByHost ?? {}).map(([host, injection]) => (
        <p className="small" key={host}>
          <span className="field-name">For {host}, the HTTPS proxy puts it in as</span> {injectionText(injection)}
        </p>
      ))}
      {error !== undefined && <ErrorNotice error={error} />}
      <EntryDialog open={editing !== undefined} vaultId={vault.id} {...(editing ? { entry: editing } : {})} onClose={() => setEditing(undefined)} onSaved={() => setRevealed(undefined)} />
      <ConfirmDialog
        open={deleting}
        title={`Delete ${summary.title}?`}
        confirmLabel="Delete entry"
        onClose={() => setDeleting(false)}
        onConfirm={async () => {
          await admin.deleteEntry({ vaultId: vault.id, entryId: summary.id });
          navigate({ page: 'vaults', vaultId: vault.id });
        }}
      >
        <p>Agents that read it will get not_found. This cannot be undone.</p>
      </ConfirmDialog>
    </section>
  );
}

/**
 * Field names only, each with the vk:// reference an agent uses for it (not a secret, so copied
 * without the clipboard timer); revealing asks for a reason, which goes into the audit log.
 */
function HiddenFields({ vault, summary, onReveal }: { readonly vault: VaultInfo; readonly summary: EntrySummary; readonly onReveal: (reason: string) => void }) {
  const [reason, setReason] = useState('');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onReveal(reason.trim() || 'Looked up in the dashboard');
  };
  return (
    <div className="stack">
      <dl className="fields">
        {summary.fieldNames.map((name) => (
          <div key={name} className="field-line">
            <dt className="field-name">{fieldLabel(name)}</dt>
            <dd className="row">
              <span className="masked">••••••••</span>
              <code className="vk-ref" data-testid={`ref-${name}`}>
                {fieldRef(vault.name, summary.title, name)}
              </code>
              <CopyButton value={fieldRef(vault.name, summary.title, name)} secret={false} label="Copy reference" testId={`copy-ref-${name}`} />
            </dd>
          </div>
        ))}
      </dl>
      <form className="row row-end" onSubmit={submit}>
        <label className="field grow">
          <span>Why are you looking? (written to the audit log)</span>
          <input value={reason} onChange={(e) => setReason(e.target.value)} maxLength={300} placeholder="Looked up in the dashboard" data-testid="reveal-reason" />
        </label>
        <button type="submit" className="primary" data-testid="reveal-submit">
          Reveal
        </button>
      </form>
    </div>
  );
}
