import { useEffect, useRef, useState, type FormEvent } from 'react';
import { inElectron } from '../api/admin.js';
import { GRANT_MINUTES, openGrant, setGrantPrompter } from '../api/grant-session.js';
import { ErrorNotice } from './error-notice.js';
import { Modal } from './modal.js';

/**
 * "Confirm it's you" (browser only): asks for the admin passphrase when a call that grants access
 * answers grant_required, opens a grant session in the server's HttpOnly cookie, and lets the
 * call be retried. The passphrase lives in this form only until it is sent.
 */
export function GrantDialog() {
  const [open, setOpen] = useState(false);
  const [passphrase, setPassphrase] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const settle = useRef<((granted: boolean) => void) | undefined>(undefined);

  useEffect(() => {
    if (inElectron) return undefined;
    return setGrantPrompter(
      () =>
        new Promise<boolean>((resolve) => {
          settle.current = resolve;
          setError(undefined);
          setOpen(true);
        }),
    );
  }, []);

  const finish = (granted: boolean) => {
    setOpen(false);
    setPassphrase('');
    setBusy(false);
    settle.current?.(granted);
    settle.current = undefined;
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await openGrant(passphrase);
      finish(true);
    } catch (err) {
      setPassphrase('');
      setError(err);
      setBusy(false);
    }
  };

  return (
    <Modal open={open} title="Confirm it’s you" onClose={() => finish(false)} testId="grant-dialog">
      <form onSubmit={(e) => void submit(e)} className="stack">
        <p>
          This changes who can reach your secrets, or reveals one, so Valetkey needs to know a person is here. Enter the admin passphrase. The
          confirmation lasts {GRANT_MINUTES} minutes in this browser; “Lock grants” ends it sooner.
        </p>
        <label className="field">
          <span>Admin passphrase</span>
          <input
            type="password"
            autoComplete="current-password"
            value={passphrase}
            onChange={(e) => setPassphrase(e.target.value)}
            required
            autoFocus
            data-testid="grant-passphrase"
          />
        </label>
        {error !== undefined && <ErrorNotice error={error} testId="grant-error" />}
        <div className="actions">
          <button type="button" onClick={() => finish(false)} data-testid="grant-cancel">
            Cancel
          </button>
          <button type="submit" className="primary" disabled={busy || passphrase === ''} data-testid="grant-submit">
            {busy ? 'Checking…' : 'Confirm'}
          </button>
        </div>
      </form>
    </Modal>
  );
}
