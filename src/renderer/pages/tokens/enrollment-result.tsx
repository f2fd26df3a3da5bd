import { useEffect, useState } from 'react';
import { admin } from '../../api/admin.js';
import type { CreatedToken } from '../../../shared/model.js';
import { CopyButton } from '../../components/copy-button.js';
import { useNow } from '../../hooks/use-now.js';
import type { EntrySummary } from '../../../shared/model.js';
import { enrollmentSnippets, preferredField, SNIPPET_KINDS, SNIPPET_LABELS, type SnippetExample, type SnippetKind } from '../../lib/enrollment-snippets.js';
import type { ToolExamples } from '../../lib/tool-snippets.js';
import { formatTimeLeft } from '../../lib/format-time.js';

/** What the tool snippets can name in the vault: a host git may log in to, an SSH key, a host the proxy injects for. */
function toolExamples(entries: readonly EntrySummary[]): ToolExamples {
  const gitHost = entries.find((e) => (e.kind === 'login' || e.kind === 'api_key') && e.injection === undefined)?.allowedHosts[0];
  const proxyHost = entries.find((e) => e.injection !== undefined)?.allowedHosts[0];
  return { ...(gitHost === undefined ? {} : { gitHost }), ...(proxyHost === undefined ? {} : { proxyHost }), sshKey: entries.some((e) => e.kind === 'ssh_key') };
}

/** A real entry of the vault the snippet names (titles and field names only), so the snippet runs as shown. */
function useSnippetExample(vaultName: string | undefined): { readonly example: SnippetExample | undefined; readonly tools: ToolExamples } {
  const [example, setExample] = useState<SnippetExample | undefined>(undefined);
  const [tools, setTools] = useState<ToolExamples>({});
  useEffect(() => {
    if (vaultName === undefined) return;
    let live = true;
    void admin
      .listVaults({})
      .then((vaults) => {
        const vault = vaults.find((v) => v.name === vaultName);
        return vault === undefined ? [] : admin.listEntries({ vaultId: vault.id });
      })
      .then((entries) => {
        if (live) setTools(toolExamples(entries));
        for (const e of entries) {
          const field = preferredField(e.fieldNames);
          if (field !== undefined && live) return setExample({ entryTitle: e.title, field });
        }
      })
      .catch(() => undefined); // the placeholder stays: the snippet still shows the form
    return () => {
      live = false;
    };
  }, [vaultName]);
  return { example, tools };
}

/**
 * The enrollment code, shown once: the engine keeps only its hash, so leaving this screen loses
 * it for good (the token then waits, unenrolled, until it is revoked or expires).
 */
export function EnrollmentResult({ created, vaultName, onDone }: { readonly created: CreatedToken; readonly vaultName: string | undefined; readonly onDone: () => void }) {
  const [kind, setKind] = useState<SnippetKind>('shell');
  const now = useNow(1000);
  const { example, tools } = useSnippetExample(vaultName);
  const snippets = enrollmentSnippets(created.enrollmentCode, vaultName, example, created.token.name, tools);
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
