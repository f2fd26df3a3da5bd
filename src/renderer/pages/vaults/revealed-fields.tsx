import { useState } from 'react';
import type { Entry } from '../../../shared/model.js';
import { CopyButton } from '../../components/copy-button.js';

interface Line {
  readonly key: string;
  readonly name: string;
  readonly value: string;
  readonly secret: boolean;
}

function linesOf(entry: Entry): Line[] {
  const f = entry.fields;
  const lines: Line[] = [];
  const add = (key: string, name: string, value: string | undefined, secret: boolean) => {
    if (value !== undefined && value !== '') lines.push({ key, name, value, secret });
  };
  add('username', 'Username', f.username, false);
  add('password', 'Password', f.password, true);
  add('apiKey', 'API key', f.apiKey, true);
  add('sshPublicKey', 'SSH public key (copy to authorized_keys or your forge)', f.sshPublicKey, false);
  add('sshPrivateKey', 'SSH private key', f.sshPrivateKey, true);
  (f.urls ?? []).forEach((url, i) => add(`url-${i}`, 'Website', url, false));
  add('notes', 'Notes', f.notes, false);
  for (const c of f.custom ?? []) add(`custom-${c.name}`, c.name, c.value, c.hidden);
  return lines;
}

/** A website opens in a new tab without telling it where it was opened from; anything else is text. */
function FieldValue({ line }: { readonly line: Line }) {
  if (line.key.startsWith('url-') && /^https?:\/\//i.test(line.value)) {
    return (
      <a href={line.value} target="_blank" rel="noopener noreferrer">
        {line.value}
      </a>
    );
  }
  return <>{line.value}</>;
}

/** The values after a reveal: secrets stay masked until "Show", and copy clears the clipboard after 30 s. */
export function RevealedFields({ entry, onHide }: { readonly entry: Entry; readonly onHide: () => void }) {
  const [shown, setShown] = useState<ReadonlySet<string>>(new Set());
  const toggle = (key: string) =>
    setShown((s) => {
      const next = new Set(s);
      if (next.has(key)) next.delete(key);
      else next.add(key);
      return next;
    });
  return (
    <div className="stack" data-testid="revealed-fields">
      <dl className="fields">
        {linesOf(entry).map((line) => (
          <div key={line.key} className="field-line" data-testid={`field-${line.key}`}>
            <dt className="field-name">{line.name}</dt>
            <dd className="row">
              <span className={line.secret && !shown.has(line.key) ? 'masked' : 'value'} data-testid={`value-${line.key}`}>
                {line.secret && !shown.has(line.key) ? '••••••••' : <FieldValue line={line} />}
              </span>
              {line.secret && (
                <button type="button" className="button-small" aria-pressed={shown.has(line.key)} onClick={() => toggle(line.key)} data-testid={`show-${line.key}`}>
                  {shown.has(line.key) ? 'Hide' : 'Show'}
                </button>
              )}
              <CopyButton value={line.value} secret={line.secret} testId={`copy-${line.key}`} />
            </dd>
          </div>
        ))}
      </dl>
      <button type="button" className="link-button" onClick={onHide}>
        Hide values
      </button>
    </div>
  );
}
