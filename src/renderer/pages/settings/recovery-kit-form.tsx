import { useState, type FormEvent } from 'react';
import { admin } from '../../api/admin.js';
import { ErrorNotice } from '../../components/error-notice.js';
import { downloadText } from '../../lib/download.js';

const MIN_PASSPHRASE = 10;

/** Exports the master and signing keys sealed under a recovery passphrase, as a file to print or keep offline. */
export function RecoveryKitForm() {
  const [passphrase, setPassphrase] = useState('');
  const [confirm, setConfirm] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const [done, setDone] = useState(false);
  const mismatch = confirm !== '' && confirm !== passphrase;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    setDone(false);
    try {
      const { kit } = await admin.exportRecoveryKit({ kitPassphrase: passphrase });
      downloadText([kit], 'valetkey-recovery-kit.txt', 'text/plain;charset=utf-8');
      setDone(true);
      setPassphrase('');
      setConfirm('');
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="stack" onSubmit={(e) => void submit(e)} data-testid="recovery-kit-form">
      <p className="muted">
        If this machine’s keychain or key file is lost, the kit and its passphrase restore your keys (<code>valetkey recovery restore</code>). Keep both offline and
        apart; anyone with both can open your vaults.
      </p>
      <div className="row">
        <label className="field grow">
          <span>Kit passphrase (at least {MIN_PASSPHRASE} characters)</span>
          <input type="password" autoComplete="new-password" value={passphrase} minLength={MIN_PASSPHRASE} onChange={(e) => setPassphrase(e.target.value)} data-testid="kit-passphrase" />
        </label>
        <label className="field grow">
          <span>Again</span>
          <input type="password" autoComplete="new-password" value={confirm} onChange={(e) => setConfirm(e.target.value)} aria-invalid={mismatch} data-testid="kit-confirm" />
        </label>
      </div>
      {mismatch && <p className="notice notice-error">The two passphrases differ.</p>}
      {error !== undefined && <ErrorNotice error={error} />}
      {done && (
        <p className="notice notice-ok" role="status" data-testid="kit-done">
          Saved as valetkey-recovery-kit.txt. Print it or move it offline, then delete the downloaded copy.
        </p>
      )}
      <div>
        <button type="submit" className="primary" disabled={busy || passphrase.length < MIN_PASSPHRASE || passphrase !== confirm} data-testid="kit-export">
          {busy ? 'Sealing…' : 'Export recovery kit'}
        </button>
      </div>
    </form>
  );
}
