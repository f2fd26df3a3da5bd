import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadSodium } from '../../../src/core/crypto/sodium.js';
import type { EntryInput } from '../../../src/shared/model.js';
import { tempStore, type TempStore } from './temp-store.js';
import { syncErrorCode } from '../../helpers/error-code.js';

const TOTP_URI = 'otpauth://totp/x?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&digits=8';

const github: EntryInput = {
  title: 'GitHub',
  kind: 'login',
  fields: { username: 'octo', password: 'hunter2', urls: ['https://github.com/login'], totp: TOTP_URI, custom: [{ name: 'Region', value: 'eu', hidden: false }] },
  allowedHosts: ['API.GitHub.com', 'api.github.com', 'localhost:8080'],
};

const codeOf = syncErrorCode;

let t: TempStore;
beforeAll(async () => {
  await loadSodium();
});
beforeEach(() => {
  t = tempStore();
});
afterEach(() => t.cleanup());

describe('vaults', () => {
  it('creates with defaults, lists sorted by name, finds by id or name', () => {
    const work = t.store.createVault({ name: '  Work ' });
    t.store.createVault({ name: 'banking', icon: 'bank', colour: '#AABBCC', approval: { mode: 'once_per_token', minutes: 15 } });
    expect(work).toMatchObject({ name: 'Work', icon: 'key', colour: '#4f6bed', approval: { mode: 'none' }, entryCount: 0 });
    expect(work.id).toMatch(/^[a-z2-7]{26}$/);
    expect(work.createdAt).toBe('2025-01-01T00:00:00.000Z');
    expect(t.store.listVaults().map((v) => v.name)).toEqual(['banking', 'Work']);
    expect(t.store.getVault(work.id).name).toBe('Work');
    expect(t.store.getVault('WORK').id).toBe(work.id);
    expect(t.store.getVault('Banking')).toMatchObject({ colour: '#aabbcc', approval: { mode: 'once_per_token', minutes: 15 } });
    expect(codeOf(() => t.store.getVault('nope'))).toBe('not_found');
  });

  it('refuses a duplicate name, case-insensitively, on create and rename', () => {
    const a = t.store.createVault({ name: 'Work' });
    t.store.createVault({ name: 'Home' });
    expect(codeOf(() => t.store.createVault({ name: 'work' }))).toBe('conflict');
    expect(codeOf(() => t.store.updateVault(a.id, { name: 'HOME' }))).toBe('conflict');
    expect(t.store.updateVault(a.id, { name: 'WORK' }).name).toBe('WORK');
    expect(t.store.listVaults()).toHaveLength(2);
  });

  it('updates only what changes, resealing under a new version', () => {
    const v = t.store.createVault({ name: 'Work', icon: 'briefcase' });
    const versionOf = (): number => (t.db.prepare('SELECT version FROM vaults WHERE id = ?').pluck().get(v.id) as number);
    const sealedOf = (): Buffer => t.db.prepare('SELECT sealed_meta FROM vaults WHERE id = ?').pluck().get(v.id) as Buffer;
    const before = sealedOf();
    t.clock.now += 60_000;
    const updated = t.store.updateVault(v.id, { approval: { mode: 'every_access' }, icon: undefined });
    expect(updated).toMatchObject({ name: 'Work', icon: 'briefcase', approval: { mode: 'every_access' }, updatedAt: '2025-01-01T00:01:00.000Z' });
    expect(versionOf()).toBe(2);
    expect(sealedOf().equals(before)).toBe(false);
    expect(t.store.vaultApproval(v.id)).toEqual({ mode: 'every_access' });
    expect(codeOf(() => t.store.updateVault('a'.repeat(26), { name: 'x' }))).toBe('not_found');
  });

  it('validates names, colours and approval settings', () => {
    const bad = [
      { name: '' },
      { name: '   ' },
      { name: 'x'.repeat(101) },
      { name: 'tab\there' },
      { name: 'ok', colour: 'red' },
      { name: 'ok', colour: '#123' },
      { name: 'ok', approval: { mode: 'sometimes' } },
      { name: 'ok', approval: { mode: 'once_per_token' } },
      { name: 'ok', approval: { mode: 'once_per_token', minutes: 0 } },
      { name: 'ok', approval: { mode: 'once_per_token', minutes: 1441 } },
      { name: 'ok', approval: { mode: 'once_per_token', minutes: 1.5 } },
      { name: 'ok', approval: { mode: 'every_access', minutes: 5 } },
    ];
    for (const input of bad) expect(codeOf(() => t.store.createVault(input as never)), JSON.stringify(input)).toBe('invalid_request');
    expect(t.store.createVault({ name: 'x'.repeat(100), approval: { mode: 'once_per_token', minutes: 1440 } }).name).toHaveLength(100);
    expect(t.store.listVaults()).toHaveLength(1);
  });

  it('deletes a vault and its entries', () => {
    const v = t.store.createVault({ name: 'Work' });
    t.store.createEntry(v.id, github);
    t.store.deleteVault(v.id);
    expect(t.store.listVaults()).toEqual([]);
    expect(t.db.prepare('SELECT count(*) FROM entries').pluck().get()).toBe(0);
    expect(codeOf(() => t.store.deleteVault(v.id))).toBe('not_found');
  });
});

describe('entries', () => {
  it('creates and reads an entry by id or title; summaries never carry values', () => {
    const v = t.store.createVault({ name: 'Work' });
    const s = t.store.createEntry('work', github);
    expect(s).toMatchObject({ vaultId: v.id, title: 'GitHub', kind: 'login', version: 1, hasTotp: true });
    expect(s.fieldNames).toEqual(['username', 'password', 'url', 'custom:Region']);
    expect(s.allowedHosts).toEqual(['api.github.com', 'localhost:8080']);
    expect(JSON.stringify(s)).not.toContain('hunter2');
    expect(JSON.stringify(t.store.listEntries())).not.toContain('hunter2');
    const byTitle = t.store.getEntry('Work', 'github');
    expect(byTitle.id).toBe(s.id);
    expect(byTitle.fields).toEqual(github.fields);
    expect(t.store.getEntry(v.id, s.id).fields.password).toBe('hunter2');
    expect(t.store.getVault(v.id).entryCount).toBe(1);
    expect(codeOf(() => t.store.getEntry('Work', 'gitlab'))).toBe('not_found');
  });

  it('keeps entries to their own vault', () => {
    t.store.createVault({ name: 'Work' });
    t.store.createVault({ name: 'Home' });
    const s = t.store.createEntry('Work', github);
    expect(codeOf(() => t.store.getEntry('Home', s.id))).toBe('not_found');
    expect(codeOf(() => t.store.getEntry('Home', 'GitHub'))).toBe('not_found');
    expect(codeOf(() => t.store.deleteEntry('Home', s.id))).toBe('not_found');
    expect(codeOf(() => t.store.updateEntry('Home', s.id, { title: 'x' }))).toBe('not_found');
  });

  it('lists across vaults or in one, and searches titles case-insensitively', () => {
    t.store.createVault({ name: 'Work' });
    t.store.createVault({ name: 'Home' });
    t.store.createEntry('Work', github);
    t.store.createEntry('Work', { title: 'AWS prod', kind: 'api_key', fields: { apiKey: 'AKIA-SECRET' } });
    t.store.createEntry('Home', { title: 'aws personal', kind: 'api_key', fields: { apiKey: 'AKIA-OTHER' } });
    expect(t.store.listEntries().map((e) => e.title)).toEqual(['aws personal', 'AWS prod', 'GitHub']);
    expect(t.store.listEntries('Work').map((e) => e.title)).toEqual(['AWS prod', 'GitHub']);
    expect(t.store.listEntries(undefined, 'AwS').map((e) => e.title)).toEqual(['aws personal', 'AWS prod']);
    expect(t.store.listEntries('Home', 'git')).toEqual([]);
    expect(codeOf(() => t.store.listEntries('Nowhere'))).toBe('not_found');
  });

  it('asks for the id when two entries share a title', () => {
    t.store.createVault({ name: 'Work' });
    const a = t.store.createEntry('Work', { title: 'Mail', kind: 'note', fields: { notes: 'one' } });
    t.store.createEntry('Work', { title: 'MAIL', kind: 'note', fields: { notes: 'two' } });
    expect(codeOf(() => t.store.getEntry('Work', 'mail'))).toBe('conflict');
    expect(t.store.getEntry('Work', a.id).fields.notes).toBe('one');
  });

  it('updates with a version bump and fresh ciphertexts; fields are replaced as a whole', () => {
    t.store.createVault({ name: 'Work' });
    const s = t.store.createEntry('Work', github);
    const row = (): { version: number; sealed_title: Buffer; sealed_fields: Buffer } => t.db.prepare('SELECT * FROM entries WHERE id = ?').get(s.id) as never;
    const before = row();
    t.clock.now += 1000;
    const u = t.store.updateEntry('Work', s.id, { fields: { password: 'new-pass' } });
    expect(u).toMatchObject({ version: 2, title: 'GitHub', hasTotp: false, fieldNames: ['password'], updatedAt: '2025-01-01T00:00:01.000Z' });
    expect(u.allowedHosts).toEqual(['api.github.com', 'localhost:8080']);
    const after = row();
    expect(after.version).toBe(2);
    expect(after.sealed_title.equals(before.sealed_title)).toBe(false);
    expect(after.sealed_fields.equals(before.sealed_fields)).toBe(false);
    const renamed = t.store.updateEntry('Work', s.id, { title: 'GitHub (work)', kind: 'note', allowedHosts: [] });
    expect(renamed).toMatchObject({ version: 3, kind: 'note', allowedHosts: [] });
    expect(t.store.getEntry('Work', 'github (WORK)').fields).toEqual({ password: 'new-pass' });
  });

  it('deletes an entry', () => {
    t.store.createVault({ name: 'Work' });
    const s = t.store.createEntry('Work', github);
    t.store.deleteEntry('Work', s.id);
    expect(t.store.listEntries()).toEqual([]);
    expect(codeOf(() => t.store.deleteEntry('Work', s.id))).toBe('not_found');
  });

  it('gives the current TOTP code of an entry', () => {
    t.store.createVault({ name: 'Work' });
    t.store.createEntry('Work', github);
    t.store.createEntry('Work', { title: 'No TOTP', kind: 'login', fields: { password: 'p' } });
    expect(t.store.entryTotp('Work', 'GitHub', 59_000)).toEqual({ code: '94287082', expiresInSeconds: 1 });
    t.clock.now = 1111111109_000;
    expect(t.store.entryTotp('Work', 'GitHub').code).toBe('07081804');
    expect(codeOf(() => t.store.entryTotp('Work', 'No TOTP'))).toBe('invalid_request');
  });

  it('refuses invalid entries without storing them', () => {
    t.store.createVault({ name: 'Work' });
    const bad = [
      { title: '', kind: 'login', fields: {} },
      { title: 'x'.repeat(201), kind: 'login', fields: {} },
      { title: 'ok', kind: 'card', fields: {} },
      { title: 'ok', kind: 'login', fields: { totp: 'not a seed!' } },
      { title: 'ok', kind: 'login', fields: { password: 'x'.repeat(64 * 1024 + 1) } },
    ];
    for (const input of bad) expect(codeOf(() => t.store.createEntry('Work', input as never)), input.title.slice(0, 20)).toBe('invalid_request');
    expect(t.store.listEntries()).toEqual([]);
  });
});

describe('lock', () => {
  it('refuses every method while locked, and works again after unlock', () => {
    const v = t.store.createVault({ name: 'Work' });
    const s = t.store.createEntry('Work', github);
    t.store.lock();
    expect(t.store.isUnlocked()).toBe(false);
    const calls: (() => unknown)[] = [
      () => t.store.listVaults(),
      () => t.store.getVault(v.id),
      () => t.store.createVault({ name: 'New' }),
      () => t.store.updateVault(v.id, { name: 'x' }),
      () => t.store.deleteVault(v.id),
      () => t.store.vaultApproval(v.id),
      () => t.store.listEntries(),
      () => t.store.listEntries(v.id),
      () => t.store.getEntry(v.id, s.id),
      () => t.store.createEntry(v.id, github),
      () => t.store.updateEntry(v.id, s.id, { title: 'x' }),
      () => t.store.deleteEntry(v.id, s.id),
      () => t.store.entryTotp(v.id, s.id),
    ];
    for (const call of calls) expect(codeOf(call)).toBe('vault_locked');
    t.store.unlock(t.master);
    expect(t.store.getEntry(v.id, s.id).fields.password).toBe('hunter2');
    expect(t.store.listVaults()).toHaveLength(1);
  });

  it('keeps its own copy of the master key', () => {
    const v = t.store.createVault({ name: 'Work' });
    const copy = new Uint8Array(t.master);
    t.master.fill(0);
    t.store.lock();
    expect(codeOf(() => t.store.getVault(v.id))).toBe('vault_locked');
    t.store.unlock(copy as never);
    expect(t.store.getVault(v.id).name).toBe('Work');
  });
});
