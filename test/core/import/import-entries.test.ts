/** VaultStore.importEntries, the bulk write imports and restores rely on: all entries or none. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isVkError } from '../../../src/shared/errors.js';
import type { EntryInput } from '../../../src/shared/model.js';
import { openTestEngine, type TestEngine } from '../../helpers/engine-fixture.js';

let t: TestEngine;

beforeAll(async () => {
  t = await openTestEngine();
});

afterAll(async () => {
  await t.close();
});

const entry = (i: number): EntryInput => ({ title: `Entry ${i}`, kind: 'login', fields: { username: `u${i}`, password: `bulk-pass-${i}` } });

describe('VaultStore.importEntries', () => {
  it('writes every entry, readable with its values', () => {
    const vault = t.engine.vaults.createVault({ name: 'Bulk' });
    expect(t.engine.vaults.importEntries(vault.id, [entry(1), entry(2), entry(3)])).toBe(3);
    const entries = t.engine.vaults.readEntries(vault.id);
    expect(entries.map((e) => [e.title, e.fields.password, e.version])).toEqual([
      ['Entry 1', 'bulk-pass-1', 1],
      ['Entry 2', 'bulk-pass-2', 1],
      ['Entry 3', 'bulk-pass-3', 1],
    ]);
  });

  it('writes nothing when one entry is invalid, naming its position but not its values', () => {
    const vault = t.engine.vaults.createVault({ name: 'Bulk bad' });
    const bad = { title: 'Bad', kind: 'login', fields: { password: 'x'.repeat(70_000) } } as EntryInput;
    let caught: unknown;
    try {
      t.engine.vaults.importEntries(vault.id, [entry(1), entry(2), bad, entry(4)]);
    } catch (e) {
      caught = e;
    }
    expect(isVkError(caught) && caught.detail).toBe('entry 3: fields.password must be at most 64 KiB');
    expect(t.engine.vaults.listEntries(vault.id)).toEqual([]);
  });

  it('joins a caller’s transaction, so a vault created with it rolls back with it', () => {
    const before = t.engine.vaults.listVaults().length;
    expect(() =>
      t.engine.db.transaction(() => {
        const vault = t.engine.vaults.createVault({ name: 'Rolled back' });
        t.engine.vaults.importEntries(vault.id, [entry(1)]);
        throw new Error('later failure');
      }).immediate(),
    ).toThrow('later failure');
    expect(t.engine.vaults.listVaults()).toHaveLength(before);
  });
});
