import { useState } from 'react';
import { injectionDetail, injectionMode, injectionTextFor, type InjectionMode } from '../../lib/entry-form.js';

const LABELS: Readonly<Record<InjectionMode, string>> = { none: 'Not put in', header: 'As a header', query: 'As a query parameter', basic: 'As basic auth (username and this secret)' };

/**
 * How the HTTPS proxy (`valetkey proxy`, `valetkey run --proxy`) puts this entry's secret into
 * requests to its allowed hosts. Its own component so new injection forms are added here alone.
 * `canClear` is false when the entry already has a setting: an update cannot remove one yet.
 */
export function InjectionEditor({ value, onChange, canClear }: { readonly value: string; readonly onChange: (text: string) => void; readonly canClear: boolean }) {
  // An emptied header line is no setting at all; the chosen form stays on screen while it is typed again.
  const [chosen, setChosen] = useState<InjectionMode>('none');
  const mode = value.trim() === '' ? chosen : injectionMode(value);
  const detail = injectionDetail(value);
  const choose = (m: InjectionMode) => {
    setChosen(m);
    onChange(injectionTextFor(m, undefined));
  };
  return (
    <fieldset className="field" data-testid="injection-editor">
      <legend>How the HTTPS proxy puts it in for those hosts</legend>
      <div className="row">
        <select value={mode} onChange={(e) => choose(e.target.value as InjectionMode)} aria-label="Injection form" data-testid="entry-injection-mode">
          {(Object.keys(LABELS) as InjectionMode[]).map((m) => (
            <option key={m} value={m} disabled={m === 'none' && !canClear && mode !== 'none'}>
              {LABELS[m]}
            </option>
          ))}
        </select>
        {mode === 'header' && (
          <input className="grow" value={detail} onChange={(e) => onChange(injectionTextFor('header', e.target.value))} aria-label="Header line" autoComplete="off" spellCheck={false} data-testid="entry-injection-header" />
        )}
        {mode === 'query' && (
          <input className="grow" value={detail} onChange={(e) => onChange(injectionTextFor('query', e.target.value))} aria-label="Query parameter name" autoComplete="off" spellCheck={false} data-testid="entry-injection-query" />
        )}
      </div>
      <span className="muted small">
        {mode === 'header' && '{value} stands for the secret, e.g. Authorization: Bearer {value}. A header the program sets with the same name is replaced.'}
        {mode === 'query' && 'Added as ?name=secret to every request to the allowed hosts.'}
        {mode === 'basic' && "Sent as HTTP basic auth: this entry's username, with the secret as the password."}
        {mode === 'none' && 'Requests to the allowed hosts pass through the proxy untouched; /v1/fetch placeholders still work.'}
      </span>
    </fieldset>
  );
}
