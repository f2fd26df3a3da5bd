import { useState } from 'react';
import { admin } from '../../api/admin.js';
import { ErrorNotice } from '../../components/error-notice.js';
import { NewPassphraseFields } from '../../components/form-parts.js';
import { useAction } from '../../hooks/use-action.js';
import { downloadText } from '../../lib/download.js';

const MIN_PASSPHRASE = 10;

/** Exports the master and signing keys sealed under a recovery passphrase, as a file to print or keep offline. */
export function RecoveryKitForm() {
  const [passphrase, setPassphrase] = useState('');
  const [confirm, setConfirm] = useState('');
  const { busy, error, submit } = useAction();
  const [done, setDone] = useState(false);

  const exportKit = async () => {
    setDone(false);
    const { kit } = await admin.exportRecoveryKit({ kitPassphrase: passphrase });
    downloadText([kit], 'valetkey-recovery-kit.txt', 'text/plain;charset=utf-8');
    setDone(true);
    setPassphrase('');
    setConfirm('');
  };

  return (
    <form className="stack" onSubmit={(e) => void submit(e, exportKit)} data-testid="recovery-kit-form">
      <p className="muted">
        If this machine’s keychain or key file is lost, the kit and its passphrase restore your keys (<code>valetkey recovery restore</code>). Keep both offline and
        apart; anyone with both can open your vaults.
      </p>
      <NewPassphraseFields
        label={`Kit passphrase (at least ${MIN_PASSPHRASE} characters)`}
        value={passphrase}
        onChange={setPassphrase}
        again={confirm}
        onAgain={setConfirm}
        mismatchText="The two passphrases differ."
        testIds={['kit-passphrase', 'kit-confirm']}
        minLength={MIN_PASSPHRASE}
      />
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
