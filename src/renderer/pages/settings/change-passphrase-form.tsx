import { useState } from 'react';
import { admin } from '../../api/admin.js';
import { forgetGrant } from '../../api/grant-session.js';
import { ErrorNotice } from '../../components/error-notice.js';
import { NewPassphraseFields } from '../../components/form-parts.js';
import { useAction } from '../../hooks/use-action.js';

/** Changes the admin passphrase (which also ends every open grant session). */
export function ChangePassphraseForm() {
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [again, setAgain] = useState('');
  const { busy, error, submit } = useAction();
  const [done, setDone] = useState(false);

  const change = async () => {
    setDone(false);
    try {
      await admin.changeAdminPassphrase({ current, next });
      forgetGrant();
      setDone(true);
    } finally {
      setCurrent('');
      setNext('');
      setAgain('');
    }
  };

  return (
    <form className="stack" onSubmit={(e) => void submit(e, change)} data-testid="change-passphrase-form">
      <label className="field">
        <span>Current admin passphrase</span>
        <input type="password" autoComplete="current-password" value={current} onChange={(e) => setCurrent(e.target.value)} data-testid="passphrase-current" />
      </label>
      <NewPassphraseFields
        label="New passphrase (at least 10 characters)"
        value={next}
        onChange={setNext}
        again={again}
        onAgain={setAgain}
        mismatchText="The two new passphrases differ."
        testIds={['passphrase-next', 'passphrase-again']}
      />
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
