import { useState } from 'react';
import type { CreatedToken } from '../../../shared/model.js';
import { CopyButton } from '../../components/copy-button.js';
import { useNow } from '../../hooks/use-now.js';
import { enrollmentSnippets, SNIPPET_KINDS, SNIPPET_LABELS, type SnippetKind } from '../../lib/enrollment-snippets.js';
import { formatTimeLeft } from '../../lib/format-time.js';

/**
 * The enrollment code, shown once: the engine keeps only its hash, so leaving this screen loses
 * it for good (the token then waits, unenrolled, until it is revoked or expires).
 */
export function EnrollmentResult({ created, vaultName, onDone }: { readonly created: CreatedToken; readonly vaultName: string | undefined; readonly onDone: () => void }) {
  const [kind, setKind] = useState<SnippetKind>('shell');
  const now = useNow(1000);
  const snippets = enrollmentSnippets(created.enrollmentCode, vaultName);
  const left = formatTimeLeft(created.enrollmentExpiresAt, now);

  return (
    <section className="stack card" data-testid="enrollment-result" aria-labelledby="enroll-title">
      <h2 id="enroll-title">Token “{created.token.name}” is ready to enroll</h2>
      <div className="notice notice-warn" role="note">
        <p>
          This code is shown <strong>only once</strong> and expires in 15 minutes (<span data-testid="enrollment-expires">{left}</span>). Give it to the agent now; the
          first agent to redeem it binds the token to its key.
        </p>
      </div>
      <div className="row">
        <code className="enroll-code" data-testid="enrollment-code">
          {created.enrollmentCode}
        </code>
        <CopyButton value={created.enrollmentCode} secret label="Copy code" testId="copy-enrollment-code" />
      </div>
      <div className="tabs" role="tablist" aria-label="Snippet">
        {SNIPPET_KINDS.map((k) => (
          <button key={k} type="button" role="tab" aria-selected={kind === k} onClick={() => setKind(k)} data-testid={`snippet-tab-${k}`}>
            {SNIPPET_LABELS[k]}
          </button>
        ))}
      </div>
      <div role="tabpanel" className="stack">
        <pre className="code" data-testid={`snippet-${kind}`}>
          {snippets[kind]}
        </pre>
        <div>
          <CopyButton value={snippets[kind]} secret label={`Copy ${SNIPPET_LABELS[kind]} snippet`} testId={`copy-snippet-${kind}`} />
        </div>
      </div>
      <div className="actions">
        <button type="button" className="primary" onClick={onDone} data-testid="enrollment-done">
          Done — I have given it to the agent
        </button>
      </div>
    </section>
  );
}
