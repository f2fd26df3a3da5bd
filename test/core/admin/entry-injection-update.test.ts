/**
 * Removing the proxy's injection settings in an update (docs/design.md §5): `injection: null` takes
 * the entry's own setting off, `injectionByHost` is replaced as a whole (`null` or `{}` removes all),
 * absent leaves each as it is. Through the admin API's own param parsing, with the audit row.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EntryInput } from '../../../src/shared/model.js';
import { openTestEngine, type TestEngine } from '../../helpers/engine-fixture.js';

const SECRET = 'sk_live_clear_me_5150';

describe('updateEntry removes injection settings', () => {
  let t: TestEngine;
  let grant: { readonly session: string };
  let vaultId: string;

  const entry: EntryInput = {
    title: 'Forge',
    kind: 'api_key',
    fields: { apiKey: SECRET },
    allowedHosts: ['api.example.com', 'uploads.example.com'],
    injection: { header: 'Authorization: Bearer {value}' },
    injectionByHost: { 'uploads.example.com': { header: 'X-Api-Key: {value}' }, 'api.example.com': { query: 'key' } },
  };
  const read = async (entryId: string) => (await t.admin.listEntries({ vaultId })).find((e) => e.id === entryId);
  const lastUpdateRow = async () => (await t.admin.queryAudit({ action: 'entry.update', limit: 1 })).rows[0];

  beforeAll(async () => {
    t = await openTestEngine();
    grant = { session: (await t.admin.openGrantSession({ passphrase: t.grant.passphrase })).session };
    vaultId = (await t.admin.createVault({ vault: { name: 'Proxy' }, grant })).id;
  });
  afterAll(async () => {
    await t.close();
  });

  it('absent keeps both; null removes the entry\'s own, and the audit row names it cleared', async () => {
    const { id } = await t.admin.createEntry({ vaultId, entry, grant });
    await t.admin.updateEntry({ vaultId, entryId: id, changes: { title: 'Forge (kept)' }, grant });
    expect(await read(id)).toMatchObject({ injection: entry.injection, injectionByHost: entry.injectionByHost });

    const saved = await t.admin.updateEntry({ vaultId, entryId: id, changes: { injection: null }, grant });
    expect(saved.injection).toBeUndefined();
    expect((await read(id))?.injection).toBeUndefined();
    expect((await read(id))?.injectionByHost).toEqual(entry.injectionByHost);
    const row = await lastUpdateRow();
    expect(row?.detail).toMatchObject({ changed: ['injection'], cleared: ['injection'], version: 3 });
    expect(JSON.stringify(row)).not.toContain(SECRET);
  });

  it('per host: a map without a host removes that host\'s setting; null removes them all', async () => {
    const { id } = await t.admin.createEntry({ vaultId, entry: { ...entry, title: 'Forge 2' }, grant });
    await t.admin.updateEntry({ vaultId, entryId: id, changes: { injectionByHost: { 'api.example.com': { query: 'key' } } }, grant });
    expect((await read(id))?.injectionByHost).toEqual({ 'api.example.com': { query: 'key' } });
    expect((await lastUpdateRow())?.detail).toMatchObject({ changed: ['injectionByHost'] });
    expect((await lastUpdateRow())?.detail).not.toHaveProperty('cleared');

    await t.admin.updateEntry({ vaultId, entryId: id, changes: { injectionByHost: null }, grant });
    const after = await read(id);
    expect(after?.injectionByHost).toBeUndefined();
    expect(after?.injection).toEqual(entry.injection);
    expect((await lastUpdateRow())?.detail).toMatchObject({ cleared: ['injectionByHost'] });
  });

  it('a host dropped from allowedHosts must lose its own setting in the same update', async () => {
    const { id } = await t.admin.createEntry({ vaultId, entry: { ...entry, title: 'Forge 3' }, grant });
    await expect(t.admin.updateEntry({ vaultId, entryId: id, changes: { allowedHosts: ['api.example.com'] }, grant })).rejects.toMatchObject({ code: 'invalid_request' });
    await t.admin.updateEntry({ vaultId, entryId: id, changes: { allowedHosts: ['api.example.com'], injectionByHost: { 'api.example.com': { query: 'key' } } }, grant });
    expect(await read(id)).toMatchObject({ allowedHosts: ['api.example.com'], injectionByHost: { 'api.example.com': { query: 'key' } } });
  });

  it('a wrong shape is still refused, not taken for a removal', async () => {
    const { id } = await t.admin.createEntry({ vaultId, entry: { ...entry, title: 'Forge 4' }, grant });
    const bad = JSON.parse('{"injection":"none"}') as Partial<EntryInput>;
    await expect(t.admin.updateEntry({ vaultId, entryId: id, changes: bad, grant })).rejects.toMatchObject({ code: 'invalid_request' });
    expect((await read(id))?.injection).toEqual(entry.injection);
  });
});
