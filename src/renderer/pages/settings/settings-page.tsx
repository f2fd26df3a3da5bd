import type { ReactNode } from 'react';
import { inElectron } from '../../api/admin.js';
import { useStatus } from '../../hooks/use-status.js';
import { PauseButton } from '../tokens/tokens-page.js';
import { AuditStreams } from './audit-streams.js';
import { ChangePassphraseForm } from './change-passphrase-form.js';
import { ImportBackup } from './import-backup.js';
import { RecoveryKitForm } from './recovery-kit-form.js';

function Section({ id, title, children }: { readonly id: string; readonly title: string; readonly children: ReactNode }) {
  return (
    <section className="card stack" aria-labelledby={id} data-testid={`settings-${id}`}>
      <h2 id={id}>{title}</h2>
      {children}
    </section>
  );
}

export function SettingsPage() {
  const { status } = useStatus();
  return (
    <div className="stack narrow-page">
      <h1>Settings</h1>
      <Section id="locking" title="Locking">
        {inElectron ? (
          <p>
            Valetkey locks itself after a while without keyboard or mouse input, when the computer sleeps and when the screen locks. Choose how long it waits
            in the tray menu: <strong>Settings → Lock after…</strong> (a longer wait asks you to confirm).
          </p>
        ) : (
          <p>
            This is the headless engine: it has no idle timer of its own. Lock it from the top bar, with <code>valetkey lock</code>, or run the desktop app
            for auto-lock on idle, sleep and screen lock.
          </p>
        )}
        <div className="row">
          <PauseButton />
          <span className="muted small">Pausing stops every agent request at once; resuming asks you to confirm.</span>
        </div>
      </Section>
      <Section id="keys" title="Key storage">
        <dl className="facts">
          <dt>Keys kept in</dt>
          <dd data-testid="key-storage">
            {status.keyStorage === 'keychain' ? 'the OS keychain (unlock with the admin passphrase)' : 'a passphrase-protected key file (unlock with its passphrase)'}
          </dd>
          <dt>Data directory</dt>
          <dd>
            <code>{status.dataDir}</code>
          </dd>
          <dt>Agents connect to</dt>
          <dd>{status.agentEndpoint ? <code>{status.agentEndpoint.url}</code> : 'the agent endpoint is not running'}</dd>
          {status.agentEndpoint && (
            <>
              <dt>Socket</dt>
              <dd>
                <code>{status.agentEndpoint.socketPath}</code>
              </dd>
            </>
          )}
          <dt>Version</dt>
          <dd>{status.version}</dd>
        </dl>
      </Section>
      <Section id="recovery" title="Recovery kit">
        <RecoveryKitForm />
      </Section>
      <Section id="passphrase" title="Admin passphrase">
        <ChangePassphraseForm />
      </Section>
      <Section id="streams" title="Audit streams">
        <AuditStreams />
      </Section>
      <Section id="import" title="Import and backup">
        <ImportBackup />
      </Section>
    </div>
  );
}
