import { useState } from 'react';
import { injectionDetail, injectionMode, injectionTextFor, type InjectionMode } from '../../lib/entry-form.js';

const LABELS: Readonly<Record<InjectionMode, string>> = { none: 'Not put in', header: 'As a header', query: 'As a query parameter', basic: 'As basic auth (username and this secret)' };
const NONE_HINT = 'Requests to the allowed hosts pass through the proxy untouched; /v1/fetch placeholders still work.';
// A host without its own setting is not "not put in": it falls back to the entry's.
const HOST_NONE = { label: "The entry's setting", hint: 'This host gets the setting above, if there is one.' } as const;

/**
 * How the HTTPS proxy (`valetkey proxy`, `valetkey run --proxy`) puts this entry's secret into
 * requests: for every allowed host, or, given `host`, for that one host alone (wins over the
 * entry's). Its own component so new injection forms are added here alone. None removes it.
 */
export function InjectionEditor({ value, onChange, host }: { readonly value: string; readonly onChange: (text: string) => void; readonly host?: string }) {
  // An emptied header line is no setting at all; the chosen form stays on screen while it is typed again.
  const [chosen, setChosen] = useState<InjectionMode>('none');
  const mode = value.trim() === '' ? chosen : injectionMode(value);
  const detail = injectionDetail(value);
  const ids = host === undefined ? 'entry-injection' : 'host-injection';
  const choose = (m: InjectionMode) => {
    setChosen(m);
    onChange(injectionTextFor(m, undefined));
  };
  return (
    <fieldset className="field" data-testid={host === undefined ? 'injection-editor' : 'host-injection-editor'} data-host={host}>
      <legend>{host === undefined ? 'How the HTTPS proxy puts it in for those hosts' : `For ${host} only`}</legend>
      <div className="row">
        <select value={mode} onChange={(e) => choose(e.target.value as InjectionMode)} aria-label={host === undefined ? 'Injection form' : `Injection form for ${host}`} data-testid={`${ids}-mode`}>
          {(Object.keys(LABELS) as InjectionMode[]).map((m) => (
            <option key={m} value={m}>
              {m === 'none' && host !== undefined ? HOST_NONE.label : LABELS[m]}
            </option>
          ))}
        </select>
        {mode === 'header' && (
          <input className="grow" value={detail} onChange={(e) => onChange(injectionTextFor('header', e.target.value))} aria-label="Header line" autoComplete="off" spellCheck={false} data-testid={`${ids}-header`} />
        )}
        {mode === 'query' && (
          <input className="grow" value={detail} onChange={(e) => onChange(injectionTextFor('query', e.target.value))} aria-label="Query parameter name" autoComplete="off" spellCheck={false} data-testid={`${ids}-query`} />
        )}
      </div>
      <span className="muted small">
        {mode === 'header' && '{value} stands for the secret, e.g. Authorization: Bearer {value}. A header the program sets with the same name is replaced.'}
        {mode === 'query' && 'Added as ?name=secret to every request to the allowed hosts.'}
        {mode === 'basic' && "Sent as HTTP basic auth: this entry's username, with the secret as the password."}
        {mode === 'none' && (host === undefined ? NONE_HINT : HOST_NONE.hint)}
      </span>
    </fieldset>
  );
}

/** One InjectionEditor per allowed host, for hosts whose API wants the secret differently. */
export function HostInjectionList({ hosts, values, onChange, resetKey }: { readonly hosts: readonly string[]; readonly values: Readonly<Record<string, string>>; readonly onChange: (values: Readonly<Record<string, string>>) => void; readonly resetKey: string }) {
  if (hosts.length === 0) return null;
  return (
    <div className="stack" data-testid="host-injections">
      {hosts.map((host) => (
        <InjectionEditor key={`${resetKey}-${host}`} host={host} value={values[host] ?? ''} onChange={(text) => onChange({ ...values, [host]: text })} />
      ))}
    </div>
  );
}
