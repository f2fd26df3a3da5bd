/**
 * The HTTPS proxy's injection setting as a person types it, in the CLI (`--inject`, `--inject-for`)
 * and the dashboard alike: `Header: text with {value}`, `?parameter`, or `basic` (the entry's
 * username, the secret as the password). The engine validates what this produces.
 */
import type { EntryInjection } from './model.js';

/** Empty is none. */
export function injectionFromText(text: string): EntryInjection | undefined {
  const t = text.trim();
  if (t === '') return undefined;
  if (t.toLowerCase() === 'basic') return { basic: true };
  return t.startsWith('?') ? { query: t.slice(1) } : { header: t };
}

export function injectionText(injection: EntryInjection): string {
  if ('basic' in injection) return 'basic';
  return 'query' in injection ? `?${injection.query}` : injection.header;
}

/** `HOST=SETTING` (a host holds no `=`), as `--inject-for` takes it. */
export function hostInjectionFromText(text: string): { host: string; injection: EntryInjection | undefined } | undefined {
  const at = text.indexOf('=');
  if (at <= 0) return undefined;
  return { host: text.slice(0, at).trim(), injection: injectionFromText(text.slice(at + 1)) };
}
