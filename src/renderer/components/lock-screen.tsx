import { useState, type FormEvent } from 'react';
import type { EngineStatus } from '../../shared/model.js';
import { admin } from '../api/admin.js';
import { ErrorNotice } from './error-notice.js';

/** Shown while the engine is locked (the master key is not in memory): unlock with the passphrase. */
export function LockScreen({ status, onUnlocked }: { readonly status: EngineStatus; readonly onUnlocked: () => void }) {
  const [passphrase, setPassphrase] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const label = status.keyStorage === 'key_file' ? 'Key file passphrase' : 'Admin passphrase';

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await admin.unlock({ passphrase });
      setPassphrase('');
      onUnlocked();
    } catch (err) {
      setPassphrase('');
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="centered" data-testid="lock-screen">
      <form className="card narrow stack" onSubmit={(e) => void submit(e)}>
        <h1>Valetkey is locked</h1>
        <p className="muted">
          Agents get <code>vault_locked</code> until you unlock. {status.agentsPaused ? 'Agents are also paused.' : ''}
        </p>
        <label className="field">
          <span>{label}</span>
          <input
            type="password"
            autoComplete="current-password"
            value={passphrase}
            onChange={(e) => setPassphrase(e.target.value)}
            required
            autoFocus
            data-testid="unlock-passphrase"
          />
        </label>
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
