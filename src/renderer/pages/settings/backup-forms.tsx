import { useState, type FormEvent, type ReactNode } from 'react';
import type { VaultInfo } from '../../../shared/model.js';
import { admin } from '../../api/admin.js';
import { ErrorNotice } from '../../components/error-notice.js';
import { useAction } from '../../hooks/use-action.js';
import { pathProblem, toRestoreRequest, type RestoreForm, type RestoreMode } from '../../lib/transfer-forms.js';
import { VaultPicker } from './vault-picker.js';

/** useAction plus the call's success line. */
function useDoneAction(): { busy: boolean; error: unknown; done: string | undefined; run: (action: () => Promise<string>) => Promise<void> } {
  const { busy, error, run: runAction } = useAction();
  const [done, setDone] = useState<string | undefined>(undefined);
  const run = (action: () => Promise<string>) =>
    runAction(async () => {
      setDone(undefined);
      setDone(await action());
    });
  return { busy, error, done, run };
}

function Outcome({ error, done, testId }: { readonly error: unknown; readonly done: string | undefined; readonly testId: string }) {
  return (
    <>
      {error !== undefined && <ErrorNotice error={error} />}
      {done !== undefined && (
        <p className="notice notice-ok" role="status" data-testid={testId}>
          {done}
        </p>
      )}
    </>
  );
}

function PathField({ label, value, onChange, testId }: { readonly label: ReactNode; readonly value: string; readonly onChange: (v: string) => void; readonly testId: string }) {
  return (
    <label className="field grow">
      <span>{label}</span>
      <input value={value} onChange={(e) => onChange(e.target.value)} data-testid={testId} />
    </label>
  );
}

/** An encrypted `.valetkey` backup of chosen vaults, sealed under its own passphrase. */
export function BackupForm({ vaults }: { readonly vaults: readonly VaultInfo[] }) {
  const [chosen, setChosen] = useState<readonly string[]>([]);
  const [path, setPath] = useState('');
  const [passphrase, setPassphrase] = useState('');
  const [force, setForce] = useState(false);
  const { busy, error, done, run } = useDoneAction();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      const w = await admin.createBackup({ vaults: chosen, path: path.trim(), passphrase, ...(force ? { force } : {}) });
      setPassphrase('');
      return `Wrote ${w.entries} entries from ${w.vaults} vaults to ${w.path}.`;
    });
  };
  return (
    <form className="stack" onSubmit={submit} data-testid="backup-form">
      <VaultPicker vaults={vaults} chosen={chosen} onChange={setChosen} testId="backup-vault" />
      <div className="row">
        <PathField label="Write the backup to (full path, e.g. /home/me/valetkey.valetkey)" value={path} onChange={setPath} testId="backup-path" />
        <label className="field grow">
          <span>Backup passphrase (at least 10 characters)</span>
          <input type="password" autoComplete="new-password" value={passphrase} onChange={(e) => setPassphrase(e.target.value)} data-testid="backup-passphrase" />
        </label>
      </div>
      <label className="inline">
        <input type="checkbox" checked={force} onChange={(e) => setForce(e.target.checked)} />
        Replace a file already there
      </label>
      <Outcome error={error} done={done} testId="backup-done" />
      <div>
        <button type="submit" disabled={busy || chosen.length === 0 || pathProblem(path) !== undefined || passphrase.length < 10} data-testid="backup-run">
          Write backup
        </button>
      </div>
    </form>
  );
}

/** Restores a `.valetkey` backup: as its own vaults, as one new vault, or merged into one. */
export function RestoreFormView({ vaults }: { readonly vaults: readonly VaultInfo[] }) {
  const [form, setForm] = useState<RestoreForm>({ path: '', passphrase: '', mode: 'as-is', newName: 'Restored', mergeVaultId: vaults[0]?.id ?? '', keepDuplicates: false });
  const set = (changes: Partial<RestoreForm>) => setForm((f) => ({ ...f, ...changes }));
  const { busy, error, done, run } = useDoneAction();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      const r = await admin.restoreBackup(toRestoreRequest(form));
      set({ passphrase: '' });
      return `Restored ${r.vaults.reduce((n, v) => n + v.restored, 0)} entries into ${r.vaults.map((v) => v.name).join(', ')}.`;
    });
  };
  const modes: readonly [RestoreMode, string][] = [
    ['as-is', 'As the vaults it holds'],
    ['as-new', 'As one new vault'],
    ['merge', 'Merged into a vault'],
  ];
  return (
    <form className="stack" onSubmit={submit} data-testid="restore-form">
      <div className="row">
        <PathField label="Backup file (full path)" value={form.path} onChange={(path) => set({ path })} testId="restore-path" />
        <label className="field grow">
          <span>Backup passphrase</span>
          <input type="password" autoComplete="off" value={form.passphrase} onChange={(e) => set({ passphrase: e.target.value })} data-testid="restore-passphrase" />
        </label>
      </div>
      <div className="row">
        {modes.map(([mode, label]) => (
          <label key={mode} className="inline">
            <input type="radio" name="restore-mode" checked={form.mode === mode} onChange={() => set({ mode })} />
            {label}
          </label>
        ))}
        {form.mode === 'as-new' && <input aria-label="New vault’s name" value={form.newName} onChange={(e) => set({ newName: e.target.value })} />}
        {form.mode === 'merge' && (
          <select aria-label="Vault to merge into" value={form.mergeVaultId} onChange={(e) => set({ mergeVaultId: e.target.value })}>
            {vaults.map((v) => (
              <option key={v.id} value={v.id}>
                {v.name}
              </option>
            ))}
          </select>
        )}
      </div>
      <Outcome error={error} done={done} testId="restore-done" />
      <div>
        <button type="submit" disabled={busy || pathProblem(form.path) !== undefined || form.passphrase === ''} data-testid="restore-run">
          Restore
        </button>
      </div>
    </form>
  );
}

/** Unencrypted Bitwarden JSON, for leaving Valetkey: the person must say they understand. */
export function PlaintextExportForm({ vaults }: { readonly vaults: readonly VaultInfo[] }) {
  const [chosen, setChosen] = useState<readonly string[]>([]);
  const [path, setPath] = useState('');
  const [acknowledged, setAcknowledged] = useState(false);
  const { busy, error, done, run } = useDoneAction();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      const w = await admin.exportBitwarden({ vaults: chosen, path: path.trim(), acknowledgePlaintext: acknowledged });
      return `Wrote ${w.items} items to ${w.path} (readable by anyone who gets the file: delete it once imported).`;
    });
  };
  return (
    <form className="stack" onSubmit={submit} data-testid="plaintext-export-form">
      <VaultPicker vaults={vaults} chosen={chosen} onChange={setChosen} testId="plaintext-vault" />
      <PathField label="Write to (full path)" value={path} onChange={setPath} testId="plaintext-path" />
      <label className="inline">
        <input type="checkbox" checked={acknowledged} onChange={(e) => setAcknowledged(e.target.checked)} data-testid="plaintext-acknowledge" />
        I understand this file is not encrypted: every password in it is readable.
      </label>
      <Outcome error={error} done={done} testId="plaintext-done" />
      <div>
        <button type="submit" className="danger" disabled={busy || chosen.length === 0 || !acknowledged || pathProblem(path) !== undefined} data-testid="plaintext-run">
          Export unencrypted
        </button>
      </div>
    </form>
  );
}
