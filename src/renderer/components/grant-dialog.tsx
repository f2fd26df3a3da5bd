import { useEffect, useRef, useState, type FormEvent } from 'react';
import { inElectron } from '../api/admin.js';
import { GRANT_MINUTES, openGrant, setGrantPrompter } from '../api/grant-session.js';
import { AdminPassphraseField, DialogActions } from './form-parts.js';
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
        <AdminPassphraseField value={passphrase} onChange={setPassphrase} testId="grant-passphrase" />
        <DialogActions
          error={error}
          busy={busy}
          disabled={passphrase === ''}
          onCancel={() => finish(false)}
          label="Confirm"
          busyLabel="Checking…"
          testId="grant-submit"
          cancelTestId="grant-cancel"
          errorTestId="grant-error"
        />
      </form>
    </Modal>
  );
}
