/**
 * The entry editor's form: one shape for every kind, turned into the EntryInput of that kind
 * (a login keeps username, password, URLs and TOTP; an API key its key; a note its text).
 * Lists are edited as one item per line.
 */
import { allowedHostProblem, normaliseHost } from '../../shared/field-checks.js';
import { injectionFromText, injectionText } from '../../shared/injection-text.js';
import type { CustomField, Entry, EntryFields, EntryInjection, EntryInput, EntryKind } from '../../shared/model.js';

export interface EntryForm {
  readonly title: string;
  readonly kind: EntryKind;
  readonly username: string;
  readonly password: string;
  readonly urls: string;
  readonly totp: string;
  readonly apiKey: string;
  readonly notes: string;
  readonly custom: readonly CustomField[];
  readonly allowedHosts: string;
  /** An ssh_key entry's private key (OpenSSH or PEM); the public key is derived by the engine. */
  readonly sshPrivateKey: string;
  /** The proxy's injection: `Header: text {value}`, `?parameter`, `basic`, or empty for none. */
  readonly injection: string;
  /** Per allowed host (normalised), its own injection in the same text; empty uses `injection`. */
  readonly injectionByHost: Readonly<Record<string, string>>;
}

export const KIND_LABELS: Readonly<Record<EntryKind, string>> = {
  login: 'Login',
  api_key: 'API key',
  note: 'Secure note',
  ssh_key: 'SSH key',
};

/** How a field name from an EntrySummary reads on screen ("custom:Region" → "Region"). */
export function fieldLabel(name: string): string {
  const labels: Readonly<Record<string, string>> = {
    username: 'Username',
    password: 'Password',
    urls: 'Websites',
    url: 'Website',
    api_key: 'API key',
    totp: 'One-time code seed',
    apiKey: 'API key',
    notes: 'Notes',
  };
  return name.startsWith('custom:') ? name.slice('custom:'.length) : (labels[name] ?? name);
}

/** Which of the form's fields each kind shows and saves (notes and custom fields: every kind). */
export const KIND_FIELDS: Readonly<Record<EntryKind, readonly (keyof EntryFields)[]>> = {
  login: ['username', 'password', 'urls', 'totp', 'notes'],
  api_key: ['username', 'apiKey', 'notes'],
  note: ['notes'],
  ssh_key: ['sshPrivateKey', 'notes'],
};

export function emptyEntryForm(kind: EntryKind = 'login'): EntryForm {
  return { title: '', kind, username: '', password: '', urls: '', totp: '', apiKey: '', notes: '', custom: [], allowedHosts: '', sshPrivateKey: '', injection: '', injectionByHost: {} };
}

export function entryFormFrom(entry: Entry): EntryForm {
  const f = entry.fields;
  return {
    title: entry.title,
    kind: entry.kind,
    username: f.username ?? '',
    password: f.password ?? '',
    urls: (f.urls ?? []).join('\n'),
    totp: f.totp ?? '',
    apiKey: f.apiKey ?? '',
    notes: f.notes ?? '',
    custom: f.custom ?? [],
    allowedHosts: entry.allowedHosts.join('\n'),
    sshPrivateKey: f.sshPrivateKey ?? '',
    injection: entry.injection === undefined ? '' : injectionText(entry.injection),
    injectionByHost: Object.fromEntries(Object.entries(entry.injectionByHost ?? {}).map(([host, i]) => [host, injectionText(i)])),
  };
}

/** The proxy's injection forms the engine supports; `none` leaves requests to the entry's hosts untouched. */
export const INJECTION_MODES = ['none', 'header', 'query', 'basic'] as const;
export type InjectionMode = (typeof INJECTION_MODES)[number];

export function injectionMode(text: string): InjectionMode {
  const injection = injectionFromText(text);
  if (injection === undefined) return 'none';
  return 'basic' in injection ? 'basic' : 'header' in injection ? 'header' : 'query';
}

/** The header line or the parameter name, as the person edits it. */
export function injectionDetail(text: string): string {
  const injection = injectionFromText(text);
  if (injection === undefined || 'basic' in injection) return '';
  return 'header' in injection ? injection.header : injection.query;
}

/** The form's text for a mode and its detail; a new mode starts from a typical example. */
export function injectionTextFor(mode: InjectionMode, detail: string | undefined): string {
  if (mode === 'none') return '';
  if (mode === 'basic') return 'basic';
  if (mode === 'header') return detail ?? 'Authorization: Bearer {value}';
  return `?${detail ?? 'api_key'}`;
}

export function lines(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '');
}

function fieldsOf(form: EntryForm): EntryFields {
  const wanted = new Set(KIND_FIELDS[form.kind]);
  const pick = (name: keyof EntryFields, value: string) => (wanted.has(name) && value.trim() !== '' ? { [name]: value } : {});
  const urls = lines(form.urls);
  const custom = form.custom.filter((c) => c.name.trim() !== '' || c.value !== '').map((c) => ({ ...c, name: c.name.trim() }));
  return {
    ...pick('username', form.username),
    ...pick('password', form.password),
    ...(wanted.has('urls') && urls.length > 0 ? { urls } : {}),
    ...pick('totp', form.totp.trim()),
    ...pick('apiKey', form.apiKey),
    ...pick('sshPrivateKey', form.sshPrivateKey),
    ...pick('notes', form.notes),
    ...(custom.length > 0 ? { custom } : {}),
  };
}

/** The allowed hosts as the engine keys them, once each, in the order written. */
export function formHosts(form: EntryForm): string[] {
  return [...new Set(lines(form.allowedHosts).map(normaliseHost))];
}

/** Settings only for hosts still listed: a host taken off the list takes its setting with it. */
function injectionByHostOf(form: EntryForm): Record<string, EntryInjection> | undefined {
  const pairs = formHosts(form).flatMap((host) => {
    const injection = injectionFromText(form.injectionByHost[host] ?? '');
    return injection === undefined ? [] : [[host, injection] as const];
  });
  return pairs.length === 0 ? undefined : Object.fromEntries(pairs);
}

export function toEntryInput(form: EntryForm): EntryInput {
  const injection = injectionFromText(form.injection);
  const injectionByHost = injectionByHostOf(form);
  return {
    title: form.title.trim(),
    kind: form.kind,
    fields: fieldsOf(form),
    allowedHosts: lines(form.allowedHosts),
    ...(injection === undefined ? {} : { injection }),
    ...(injectionByHost === undefined ? {} : { injectionByHost }),
  };
}

/** What stops the form from being saved, in words for the person; the engine checks again. */
export function entryFormProblems(form: EntryForm): string[] {
  const problems: string[] = [];
  if (form.title.trim() === '') problems.push('Give the entry a title.');
  lines(form.allowedHosts).forEach((host, i) => {
    const problem = allowedHostProblem(host, `Allowed host ${i + 1}`);
    if (problem !== undefined) problems.push(problem);
  });
  const names = new Set<string>();
  for (const c of form.custom) {
    const name = c.name.trim().toLowerCase();
    if (name === '' && c.value !== '') problems.push('Every custom field with a value needs a name.');
    else if (name !== '' && names.has(name)) problems.push(`Two custom fields are named “${c.name.trim()}”; names must differ.`);
    names.add(name);
  }
  return problems;
}

/** Only what the person changed, so the audit row's `changed` list tells the truth; a removed setting is sent as null. */
export function entryChanges(before: EntryInput, after: EntryInput): Partial<EntryInput> {
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
  return {
    ...(before.title === after.title ? {} : { title: after.title }),
    ...(before.kind === after.kind ? {} : { kind: after.kind }),
    ...(same(before.fields, after.fields) ? {} : { fields: after.fields }),
    ...(same(before.allowedHosts ?? [], after.allowedHosts ?? []) ? {} : { allowedHosts: after.allowedHosts ?? [] }),
    ...(same(before.injection, after.injection) ? {} : { injection: after.injection ?? null }),
    ...(same(before.injectionByHost, after.injectionByHost) ? {} : { injectionByHost: after.injectionByHost ?? null }),
  };
}
