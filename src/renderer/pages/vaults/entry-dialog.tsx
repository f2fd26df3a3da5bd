import { useEffect, useState, type FormEvent } from 'react';
import { ENTRY_KINDS, type Entry, type EntryKind, type EntrySummary } from '../../../shared/model.js';
import { admin } from '../../api/admin.js';
import { ChoiceSelect, DialogActions, ProblemList } from '../../components/form-parts.js';
import { FieldProblem } from '../../components/field-problem.js';
import { MAX_TITLE_CHARS, nameProblem } from '../../../shared/field-checks.js';
import { Modal } from '../../components/modal.js';
import { useAction } from '../../hooks/use-action.js';
import { emptyEntryForm, entryChanges, entryFormFrom, entryFormProblems, formHosts, KIND_FIELDS, KIND_LABELS, toEntryInput, type EntryForm } from '../../lib/entry-form.js';
import { generatePassword } from '../../lib/password-generator.js';
import { CustomFieldsEditor } from './custom-fields-editor.js';
import { HostInjectionList, InjectionEditor } from './injection-editor.js';
import { SshKeyFields, type SshKeySource } from './ssh-key-fields.js';

/** Create an entry of any kind, or edit one (whose values were revealed, and audited, to fill the form). */
export function EntryDialog({
  open,
  vaultId,
  entry,
  onClose,
  onSaved,
}: {
  readonly open: boolean;
  readonly vaultId: string;
  readonly entry?: Entry;
  readonly onClose: () => void;
  readonly onSaved: (entry: EntrySummary) => void;
}) {
  const [form, setForm] = useState<EntryForm>(() => (entry ? entryFormFrom(entry) : emptyEntryForm()));
  const { busy, error, setError, submit } = useAction();
  const [problems, setProblems] = useState<readonly string[]>([]);
  const [sshSource, setSshSource] = useState<SshKeySource>('generate');
  const [sshComment, setSshComment] = useState('');
  useEffect(() => {
    if (!open) return;
    setForm(entry ? entryFormFrom(entry) : emptyEntryForm());
    setError(undefined);
    setProblems([]);
    setSshSource('generate');
    setSshComment('');
  }, [open, entry]);
  const generating = entry === undefined && form.kind === 'ssh_key' && sshSource === 'generate';
  const set = (changes: Partial<EntryForm>) => setForm((f) => ({ ...f, ...changes }));
  // The injection editors keep their chosen form while a header is retyped; a new opening starts afresh.
  const resetKey = `${String(open)}-${entry?.id ?? 'new'}`;

  const save = async () => {
    const input = toEntryInput(generating ? { ...form, sshPrivateKey: '' } : form);
    const saved =
      entry === undefined
        ? await admin.createEntry({ vaultId, entry: input, ...(generating ? { generateSshKey: { comment: sshComment.trim() } } : {}) })
        : await admin.updateEntry({ vaultId, entryId: entry.id, changes: entryChanges(toEntryInput(entryFormFrom(entry)), input) });
    onSaved(saved);
    onClose();
  };
  // Problems found here are shown under the form, and nothing is sent.
  const onSubmit = (e: FormEvent) => {
    const found = entryFormProblems(form);
    setProblems(found);
    if (found.length > 0) e.preventDefault();
    else void submit(e, save);
  };

  return (
    <Modal open={open} title={entry === undefined ? 'New entry' : `Edit ${entry.title}`} onClose={onClose} testId="entry-dialog" wide>
      <form className="stack" onSubmit={onSubmit} autoComplete="off">
        <div className="row">
          <label className="field grow">
            <span>Title</span>
            <input value={form.title} onChange={(e) => set({ title: e.target.value })} required autoFocus data-testid="entry-title" />
            <FieldProblem problem={form.title === '' ? undefined : nameProblem(form.title, 'The title', MAX_TITLE_CHARS)} testId="entry-title-problem" />
          </label>
          <label className="field">
            <span>Kind</span>
            <ChoiceSelect value={form.kind} choices={ENTRY_KINDS} label={(k) => KIND_LABELS[k]} onChange={(kind) => set({ kind })} testId="entry-kind" />
          </label>
        </div>
        <KindFields form={form} set={set} />
        {form.kind === 'ssh_key' && (
          <SshKeyFields
            creating={entry === undefined}
            source={sshSource}
            onSource={setSshSource}
            comment={sshComment}
            onComment={setSshComment}
            privateKey={form.sshPrivateKey}
            onPrivateKey={(sshPrivateKey) => set({ sshPrivateKey })}
          />
        )}
        <CustomFieldsEditor fields={form.custom} onChange={(custom) => set({ custom })} />
        <label className="field">
          <span>Hosts agents may send these values to with “use” (one per line, e.g. api.github.com)</span>
          <textarea rows={2} value={form.allowedHosts} onChange={(e) => set({ allowedHosts: e.target.value })} data-testid="entry-hosts" />
        </label>
        {form.kind !== 'ssh_key' && form.kind !== 'note' && (
          <>
            <InjectionEditor key={resetKey} value={form.injection} onChange={(injection) => set({ injection })} />
            <HostInjectionList hosts={formHosts(form)} values={form.injectionByHost} onChange={(injectionByHost) => set({ injectionByHost })} resetKey={resetKey} />
          </>
        )}
        <ProblemList problems={problems} />
        <DialogActions error={error} busy={busy} onCancel={onClose} label="Save entry" busyLabel="Saving…" testId="entry-save" />
      </form>
    </Modal>
  );
}

function KindFields({ form, set }: { readonly form: EntryForm; readonly set: (changes: Partial<EntryForm>) => void }) {
  const [showPassword, setShowPassword] = useState(false);
  const has = (name: (typeof KIND_FIELDS)[EntryKind][number]) => KIND_FIELDS[form.kind].includes(name);
  return (
    <>
      {has('username') && (
        <label className="field">
          <span>Username</span>
          <input value={form.username} onChange={(e) => set({ username: e.target.value })} autoComplete="off" data-testid="entry-username" />
        </label>
      )}
      {has('password') && (
        <div className="field">
          <label htmlFor="entry-password">Password</label>
          <div className="row">
            <input
              id="entry-password"
              className="grow"
              type={showPassword ? 'text' : 'password'}
              autoComplete="new-password"
              value={form.password}
              onChange={(e) => set({ password: e.target.value })}
              data-testid="entry-password"
            />
            <button type="button" className="button-small" onClick={() => setShowPassword((s) => !s)} aria-pressed={showPassword}>
              {showPassword ? 'Hide' : 'Show'}
            </button>
            <button type="button" className="button-small" onClick={() => set({ password: generatePassword() })} data-testid="entry-generate">
              Generate
            </button>
          </div>
        </div>
      )}
      {has('apiKey') && (
        <label className="field">
          <span>API key</span>
          <input type="password" autoComplete="off" value={form.apiKey} onChange={(e) => set({ apiKey: e.target.value })} data-testid="entry-apikey" />
        </label>
      )}
      {has('urls') && (
        <label className="field">
          <span>Websites (one per line)</span>
          <textarea rows={2} value={form.urls} onChange={(e) => set({ urls: e.target.value })} data-testid="entry-urls" />
        </label>
      )}
      {has('totp') && (
        <label className="field">
          <span>One-time password seed (Base32 or otpauth:// URI)</span>
          <input type="password" autoComplete="off" value={form.totp} onChange={(e) => set({ totp: e.target.value })} data-testid="entry-totp" />
        </label>
      )}
      <label className="field">
        <span>{form.kind === 'note' ? 'Note' : 'Notes'}</span>
        <textarea rows={form.kind === 'note' ? 6 : 2} value={form.notes} onChange={(e) => set({ notes: e.target.value })} data-testid="entry-notes" />
      </label>
    </>
  );
}
