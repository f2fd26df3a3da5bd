import { useEffect, useState } from 'react';
import type { EngineStatus } from '../shared/model.js';
import { errorCodeOf } from './error-code.js';

type StatusView =
  | { readonly kind: 'loading' }
  | { readonly kind: 'no-bridge' }
  | { readonly kind: 'ok'; readonly status: EngineStatus }
  | { readonly kind: 'error'; readonly code: string };

export function App() {
  const [view, setView] = useState<StatusView>({ kind: 'loading' });

  useEffect(() => {
    const bridge = window.valetkey;
    if (bridge === undefined) {
      setView({ kind: 'no-bridge' });
      return;
    }
    bridge.admin.status({}).then(
      (status) => setView({ kind: 'ok', status }),
      (e: unknown) => setView({ kind: 'error', code: errorCodeOf(e) }),
    );
  }, []);

  return (
    <main>
      <h1>Valetkey</h1>
      <p>Valetkey — the dashboards arrive with the desktop-app issue.</p>
      <p className="status" data-testid="engine-status">
        {describe(view)}
      </p>
    </main>
  );
}

function describe(view: StatusView): string {
  switch (view.kind) {
    case 'loading':
      return 'Asking the engine…';
    case 'no-bridge':
      return 'Not running inside the Valetkey app.';
    case 'error':
      return `The engine did not answer (${view.code}).`;
    case 'ok': {
      const { status } = view;
      if (!status.initialized) return `Engine ${status.version}: not set up yet.`;
      return `Engine ${status.version}: ${status.locked ? 'locked' : 'unlocked'}${status.agentsPaused ? ', agents paused' : ''}.`;
    }
  }
}
