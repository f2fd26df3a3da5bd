import { useState } from 'react';
import type { EngineStatus } from '../../shared/model.js';
import { admin, inElectron } from '../api/admin.js';
import { GRANT_MINUTE_CHOICES, GRANT_MINUTES, openGrant } from '../api/grant-session.js';
import { useAction } from '../hooks/use-action.js';
import { ErrorNotice } from './error-notice.js';
import { AdminPassphraseField } from './form-parts.js';

/**
 * Shown while the engine is locked (the master key is not in memory): unlock with the passphrase.
 * In the browser the same passphrase also opens a grant session for the minutes picked here, so
 * the first vault or token right after unlocking does not ask for it again.
 */
export function LockScreen({ status, onUnlocked }: { readonly status: EngineStatus; readonly onUnlocked: () => void }) {
  const [passphrase, setPassphrase] = useState('');
  const { busy, error, submit } = useAction();
  const [minutes, setMinutes] = useState<number>(GRANT_MINUTES);

  const unlock = async () => {
    try {
      await admin.unlock({ passphrase });
      if (!inElectron) await openGrant(passphrase, minutes);
    } finally {
      setPassphrase('');
    }
    onUnlocked();
  };

  return (
    <main className="centered" data-testid="lock-screen">
      <form className="card narrow stack" onSubmit={(e) => void submit(e, unlock)}>
        <h1>Valetkey is locked</h1>
        <p className="muted">
          Agents cannot reach any secret until you unlock. {status.agentsPaused ? 'Agents are also paused.' : ''}
        </p>
        <AdminPassphraseField value={passphrase} onChange={setPassphrase} testId="unlock-passphrase" />
        {!inElectron && (
          <label className="field">
            <span>Then keep changes confirmed for</span>
            <select value={minutes} onChange={(e) => setMinutes(Number(e.target.value))} data-testid="unlock-grant-minutes">
              {GRANT_MINUTE_CHOICES.map((m) => (
                <option key={m} value={m}>
                  {m} minutes
                </option>
              ))}
            </select>
          </label>
        )}
        {error !== undefined && <ErrorNotice error={error} testId="unlock-error" />}
        <button type="submit" className="primary" disabled={busy || passphrase === ''} data-testid="unlock-submit">
          {busy ? 'Unlocking…' : 'Unlock'}
        </button>
      </form>
    </main>
  );
}

/** Shown when the engine has no keys yet: setting up happens in a terminal, where the passphrase is chosen. */
export function FirstRun({ onRetry }: { readonly onRetry: () => void }) {
  return (
    <main className="centered" data-testid="first-run">
      <div className="card narrow stack">
        <h1>Welcome to Valetkey</h1>
        <p>This Valetkey has not been set up yet. In a terminal, run:</p>
        <pre className="code">valetkey init</pre>
        <p className="muted">
          It creates your keys (in the OS keychain, or a passphrase-protected key file with <code>--key-file</code>) and asks for the admin passphrase
          that confirms grants. Then come back here.
        </p>
        <button type="button" className="primary" onClick={onRetry} data-testid="first-run-retry">
          I have run it
        </button>
      </div>
    </main>
  );
}
