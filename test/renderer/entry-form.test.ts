import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EntryKind } from '../../src/shared/model.js';
import { injectionFromText } from '../../src/shared/injection-text.js';
import { emptyEntryForm, entryChanges, entryFormFrom, entryFormProblems, fieldLabel, formHosts, injectionDetail, injectionMode, injectionTextFor, toEntryInput, type EntryForm } from '../../src/renderer/lib/entry-form.js';
import { openTestEngine, type TestEngine } from '../helpers/engine-fixture.js';

const FULL: Omit<EntryForm, 'kind'> = {
  title: '  GitHub  ',
  username: 'me@example.com',
  password: 'hunter2-correct-horse',
  urls: 'https://github.com\n\n  https://gist.github.com ',
  totp: ' JBSWY3DPEHPK3PXP ',
  apiKey: 'sk-live-123',
  notes: 'two lines\nof notes',
  custom: [
    { name: ' Region ', value: 'eu-west-1', hidden: false },
    { name: '', value: '', hidden: false },
    { name: 'Recovery', value: 'r-42', hidden: true },
  ],
  allowedHosts: 'api.github.com\n',
  sshPrivateKey: '',
  injection: '',
  injectionByHost: {},
};

const PROXY_FORM: EntryForm = { ...emptyEntryForm('api_key'), title: 'Forge', apiKey: 'k', allowedHosts: 'api.example.com\nUploads.Example.com\napi.example.com' };

describe('entry form', () => {
  it('keeps only the fields of the chosen kind (plus notes and custom fields)', () => {
    const note = toEntryInput({ ...FULL, kind: 'note' });
    expect(Object.keys(note.fields).sort()).toEqual(['custom', 'notes']);
    const apiKey = toEntryInput({ ...FULL, kind: 'api_key' });
    expect(Object.keys(apiKey.fields).sort()).toEqual(['apiKey', 'custom', 'notes', 'username']);
    const login = toEntryInput({ ...FULL, kind: 'login' });
    expect(login.fields.urls).toEqual(['https://github.com', 'https://gist.github.com']);
    expect(login.fields.totp).toBe('JBSWY3DPEHPK3PXP');
    expect(login.fields.custom?.map((c) => c.name)).toEqual(['Region', 'Recovery']);
    expect(login.title).toBe('GitHub');
  });

  it('says what is wrong before the engine has to', () => {
    expect(entryFormProblems({ ...emptyEntryForm(), title: ' ' })).toEqual(['Give the entry a title.']);
    const twice = { ...emptyEntryForm(), title: 'x', custom: [{ name: 'A', value: '1', hidden: false }, { name: 'a ', value: '2', hidden: true }] };
    expect(entryFormProblems(twice)[0]).toMatch(/Two custom fields/);
    const nameless = { ...emptyEntryForm(), title: 'x', custom: [{ name: '', value: 'v', hidden: false }] };
    expect(entryFormProblems(nameless)[0]).toMatch(/needs a name/);
  });

  it('labels field names for people', () => {
    expect(['username', 'apiKey', 'urls', 'custom:Region', 'odd'].map(fieldLabel)).toEqual(['Username', 'API key', 'Websites', 'Region', 'odd']);
  });
});

describe('entry form against the real engine', () => {
  let t: TestEngine;
  let grant: { readonly session: string };
  let vaultId: string;

  beforeAll(async () => {
    t = await openTestEngine();
    grant = { session: (await t.admin.openGrantSession({ passphrase: t.grant.passphrase })).session };
    vaultId = (await t.admin.createVault({ vault: { name: 'Forms' }, grant })).id;
  });
  afterAll(async () => {
    await t.close();
  });

  it.each<EntryKind>(['login', 'api_key', 'note'])('a %s saved from the form reads back into the same form', async (kind) => {
    const input = toEntryInput({ ...FULL, kind, title: `${kind} entry` });
    const summary = await t.admin.createEntry({ vaultId, entry: input, grant });
    const entry = await t.admin.getEntry({ vaultId, entryId: summary.id, reason: 'form round trip', grant });
    expect(toEntryInput(entryFormFrom(entry))).toEqual({ ...input, allowedHosts: ['api.github.com'] });
  });

  it('an edit sends only what changed, and the audit row says so', async () => {
    const before = toEntryInput({ ...FULL, kind: 'login', title: 'Edit me' });
    const summary = await t.admin.createEntry({ vaultId, entry: before, grant });
    const entry = await t.admin.getEntry({ vaultId, entryId: summary.id, reason: 'edit', grant });
    const form = entryFormFrom(entry);
    const after = toEntryInput({ ...form, password: 'a new password' });
    const changes = entryChanges(toEntryInput(form), after);
    expect(Object.keys(changes)).toEqual(['fields']);
    const saved = await t.admin.updateEntry({ vaultId, entryId: summary.id, changes, grant });
    expect(saved.version).toBe(2);
    const reread = await t.admin.getEntry({ vaultId, entryId: summary.id, reason: 'check', grant });
    expect(reread.fields.password).toBe('a new password');
    expect(reread.fields.username).toBe(FULL.username);
    const { rows } = await t.admin.queryAudit({ action: 'entry.update', limit: 1 });
    expect(rows[0]?.detail).toMatchObject({ changed: ['fields'] });
    expect(JSON.stringify(rows[0])).not.toContain('a new password');
  });

  it('per-host injection settings read back into the form, and removing both leaves none', async () => {
    const form: EntryForm = { ...PROXY_FORM, injection: 'Authorization: Bearer {value}', injectionByHost: { 'uploads.example.com': 'X-Api-Key: {value}' } };
    const { id } = await t.admin.createEntry({ vaultId, entry: toEntryInput(form), grant });
    const stored = entryFormFrom(await t.admin.getEntry({ vaultId, entryId: id, reason: 'edit', grant }));
    expect(stored.injectionByHost).toEqual({ 'uploads.example.com': 'X-Api-Key: {value}' });
    const changes = entryChanges(toEntryInput(stored), toEntryInput({ ...stored, injection: '', injectionByHost: {} }));
    const saved = await t.admin.updateEntry({ vaultId, entryId: id, changes, grant });
    expect(saved).not.toHaveProperty('injection');
    expect(saved).not.toHaveProperty('injectionByHost');
    const { rows } = await t.admin.queryAudit({ action: 'entry.update', limit: 1 });
    expect(rows[0]?.detail).toMatchObject({ changed: ['injection', 'injectionByHost'], cleared: ['injection', 'injectionByHost'] });
  });
});

describe('entry form: SSH keys and the proxy injection', () => {
  it('an ssh_key keeps its private key and notes; an injection is a header line or ?parameter', () => {
    const ssh = toEntryInput({ ...emptyEntryForm('ssh_key'), title: 'Deploy', sshPrivateKey: 'KEY TEXT', password: 'dropped' });
    expect(ssh.fields).toEqual({ sshPrivateKey: 'KEY TEXT' });
    expect(toEntryInput({ ...emptyEntryForm('api_key'), title: 'A', injection: ' Authorization: Bearer {value} ' }).injection).toEqual({ header: 'Authorization: Bearer {value}' });
    expect(toEntryInput({ ...emptyEntryForm('api_key'), title: 'A', injection: '?key' }).injection).toEqual({ query: 'key' });
    expect(toEntryInput({ ...emptyEntryForm('login'), title: 'A', injection: 'basic' }).injection).toEqual({ basic: true });
    expect(toEntryInput({ ...emptyEntryForm('api_key'), title: 'A' }).injection).toBeUndefined();
  });
});

describe('entry form: injection per allowed host, and removing settings', () => {
  it('keeps a setting only for a host still listed (as the engine names it), and drops empty ones', () => {
    const form: EntryForm = { ...PROXY_FORM, injectionByHost: { 'uploads.example.com': 'X-Api-Key: {value}', 'api.example.com': ' ', 'gone.example.com': '?key' } };
    expect(formHosts(form)).toEqual(['api.example.com', 'uploads.example.com']);
    expect(toEntryInput(form).injectionByHost).toEqual({ 'uploads.example.com': { header: 'X-Api-Key: {value}' } });
    expect(toEntryInput({ ...form, injectionByHost: {} })).not.toHaveProperty('injectionByHost');
  });

  it('an edit that empties a setting sends null for it; one that changes nothing sends nothing', () => {
    const set: EntryForm = { ...PROXY_FORM, injection: 'Authorization: Bearer {value}', injectionByHost: { 'uploads.example.com': '?key' } };
    const before = toEntryInput(set);
    expect(entryChanges(before, toEntryInput(set))).toEqual({});
    expect(entryChanges(before, toEntryInput({ ...set, injection: '' }))).toEqual({ injection: null });
    expect(entryChanges(before, toEntryInput({ ...set, injectionByHost: { 'uploads.example.com': '' } }))).toEqual({ injectionByHost: null });
    expect(entryChanges(before, toEntryInput({ ...set, injectionByHost: { 'uploads.example.com': 'basic' } }))).toEqual({ injectionByHost: { 'uploads.example.com': { basic: true } } });
    // Taking the host off the list takes its setting with it, in the same update.
    expect(entryChanges(before, toEntryInput({ ...set, allowedHosts: 'api.example.com' }))).toEqual({ allowedHosts: ['api.example.com'], injectionByHost: null });
  });
});

describe('what a person reads', () => {
  it('labels reference field names in words', () => {
    expect(['url', 'api_key', 'username', 'custom:Region'].map(fieldLabel)).toEqual(['Website', 'API key', 'Username', 'Region']);
  });

  it('says which allowed host is written as a URL, with the engine’s own sentence', () => {
    const form: EntryForm = { ...emptyEntryForm('api_key'), title: 'Stripe', allowedHosts: 'api.stripe.com\nhttps://files.stripe.com/v1' };
    expect(entryFormProblems(form)).toEqual([expect.stringMatching(/^Allowed host 2 is written as a web address/)]);
  });
});

describe('the proxy injection editor\'s text', () => {
  it('reads the form and writes it back: a header line, a query parameter, basic auth, or none', () => {
    expect(injectionMode('Authorization: Bearer {value}')).toBe('header');
    expect(injectionMode('?key')).toBe('query');
    expect(injectionMode('  ')).toBe('none');
    expect(injectionDetail('?key')).toBe('key');
    expect(injectionDetail('X-Api-Key: {value}')).toBe('X-Api-Key: {value}');
    expect(injectionTextFor('header', undefined)).toBe('Authorization: Bearer {value}');
    expect(injectionTextFor('query', undefined)).toBe('?api_key');
    expect(injectionTextFor('query', 'key')).toBe('?key');
    expect(injectionTextFor('none', 'anything')).toBe('');
    expect(injectionFromText(injectionTextFor('query', 'key'))).toEqual({ query: 'key' });
    expect(injectionMode('basic')).toBe('basic');
    expect(injectionDetail('basic')).toBe('');
    expect(injectionFromText(injectionTextFor('basic', undefined))).toEqual({ basic: true });
  });
});
