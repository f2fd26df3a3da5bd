import { useState, type FormEvent } from 'react';
import { admin } from '../../api/admin.js';
import { forgetGrant } from '../../api/grant-session.js';
import { ErrorNotice } from '../../components/error-notice.js';

/** Changes the admin passphrase (which also ends every open grant session). */
export function ChangePassphraseForm() {
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [again, setAgain] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const [done, setDone] = useState(false);
  const mismatch = again !== '' && again !== next;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    setDone(false);
    try {
      await admin.changeAdminPassphrase({ current, next });
      forgetGrant();
      setDone(true);
    } catch (err) {
      setError(err);
    } finally {
      setCurrent('');
      setNext('');
      setAgain('');
      setBusy(false);
    }
  };

  return (
    <form className="stack" onSubmit={(e) => void submit(e)} data-testid="change-passphrase-form">
      <label className="field">
        <span>Current admin passphrase</span>
        <input type="password" autoComplete="current-password" value={current} onChange={(e) => setCurrent(e.target.value)} data-testid="passphrase-current" />
      </label>
      <div className="row">
        <label className="field grow">
          <span>New passphrase (at least 10 characters)</span>
          <input type="password" autoComplete="new-password" value={next} onChange={(e) => setNext(e.target.value)} data-testid="passphrase-next" />
        </label>
        <label className="field grow">
          <span>Again</span>
          <input type="password" autoComplete="new-password" value={again} onChange={(e) => setAgain(e.target.value)} aria-invalid={mismatch} data-testid="passphrase-again" />
        </label>
      </div>
      {mismatch && <p className="notice notice-error">The two new passphrases differ.</p>}
      {error !== undefined && <ErrorNotice error={error} />}
      {done && (
        <p className="notice notice-ok" role="status">
          Changed. Use the new passphrase from now on.
        </p>
      )}
      <div>
        <button type="submit" className="primary" disabled={busy || current === '' || next.length < 10 || next !== again} data-testid="passphrase-change">
          Change passphrase
        </button>
      </div>
    </form>
  );
}
