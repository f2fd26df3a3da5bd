/**
 * A read by name opens the row a name was last found on (src/core/vault/name-hints.ts). The hint is
 * a guess: these tests edit the database file as a process with the person's rights could, and
 * check that a wrong, stale or planted guess never opens anything the name does not name
 * (docs/security.md item 38).
 */
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadSodium } from '../../../src/core/crypto/sodium.js';
import type { EntryInput } from '../../../src/shared/model.js';
import { openDatabase, type Database } from '../../../src/core/store/database.js';
import { VaultStore } from '../../../src/core/vault/vault-store.js';
import { tempStore, type TempStore } from './temp-store.js';
import { syncErrorCode } from '../../helpers/error-code.js';

const codeOf = syncErrorCode;

const login = (title: string, password: string): EntryInput => ({ title, kind: 'login', fields: { password } });

let t: TempStore;
beforeAll(async () => {
  await loadSodium();
});
beforeEach(() => {
  t = tempStore();
});
const opened: Database[] = [];
afterEach(() => {
  for (const db of opened.splice(0)) db.close();
  t.cleanup();
});

type Row = Record<string, unknown>;
const entryRow = (id: string): Row => t.db.prepare('SELECT * FROM entries WHERE id = ?').get(id) as Row;
/** Writes a saved copy of an entry row back in place of the current one, as a restore of an old file would. */
function putBack(row: Row): void {
  t.db.prepare('DELETE FROM entries WHERE id = ?').run(row.id);
  t.db
    .prepare(
      `INSERT INTO entries (id, vault_id, kind, version, sealed_title, sealed_fields, created_at, updated_at)
       VALUES (@id, @vault_id, @kind, @version, @sealed_title, @sealed_fields, @created_at, @updated_at)`,
    )
    .run(row);
}
const garble = (id: string): void => {
  t.db.prepare("UPDATE entries SET sealed_title = x'00112233445566778899' WHERE id = ?").run(id);
};

/**
 * Entry x was titled "github" (its row saved as oldX), then renamed; y now holds the title, and a
 * read by that title has found y (the hint).
 */
function titleHandedOn() {
  const v = t.store.createVault({ name: 'Work' });
  const x = t.store.createEntry(v.id, login('github', 'old-password'));
  const oldX = entryRow(x.id);
  t.store.updateEntry(v.id, x.id, { title: 'github (old)' });
  const y = t.store.createEntry(v.id, login('github', 'new-password'));
  expect(t.store.getEntry(v.id, 'github').id).toBe(y.id);
  return { v, x, oldX, y };
}

describe('entries by title', () => {
  it('after one scan, a read by title opens only the row it names: a garbled row elsewhere fails its own reads, not this one', () => {
    const v = t.store.createVault({ name: 'Work' });
    const a = t.store.createEntry(v.id, login('A', 'secret-a'));
    const b = t.store.createEntry(v.id, login('B', 'secret-b'));
    expect(t.store.getEntry(v.id, 'A').id).toBe(a.id);
    garble(b.id);
    expect(t.store.getEntry(v.id, 'a').fields.password).toBe('secret-a');
    expect(codeOf(() => t.store.getEntry(v.id, b.id))).toBe('integrity_error');
    expect(codeOf(() => t.store.listEntries(v.id))).toBe('integrity_error');
    // Without a hint (a store that has not looked yet), the scan meets the garbled row.
    expect(codeOf(() => secondStore().getEntry(v.id, 'A'))).toBe('integrity_error');
  });

  it("another entry's sealed title copied onto the hinted row fails to open, it does not answer for that title", () => {
    const v = t.store.createVault({ name: 'Work' });
    const a = t.store.createEntry(v.id, login('A', 'secret-a'));
    const b = t.store.createEntry(v.id, login('B', 'secret-b'));
    expect(t.store.getEntry(v.id, 'B').fields.password).toBe('secret-b');
    t.db.prepare('UPDATE entries SET sealed_title = (SELECT sealed_title FROM entries WHERE id = ?) WHERE id = ?').run(b.id, a.id);
    expect(codeOf(() => t.store.getEntry(v.id, 'A'))).toBe('integrity_error');
    expect(t.store.getEntry(v.id, 'B').fields.password).toBe('secret-b');
  });

  it('the hinted row deleted and an older copy with that title put back is refused as stale', () => {
    const { v, oldX, y } = titleHandedOn();
    const z = t.store.createEntry(v.id, login('other', 'secret-z'));
    const oldZ = entryRow(z.id);
    t.store.deleteEntry(v.id, z.id);
    expect(t.store.getEntry(v.id, 'github').id).toBe(y.id);
    // The same number of rows: y deleted, x's old copy back in its place, deleted z back.
    t.db.prepare('DELETE FROM entries WHERE id = ?').run(y.id);
    putBack(oldX);
    putBack(oldZ);
    expect(codeOf(() => t.store.getEntry(v.id, 'github'))).toBe('tamper_detected');
  });

  it('an older copy put back beside the current holder of the title: the current entry answers, the copy is refused', () => {
    const { v, x, oldX } = titleHandedOn();
    putBack(oldX);
    expect(t.store.getEntry(v.id, 'github').fields.password).toBe('new-password');
    expect(codeOf(() => t.store.getEntry(v.id, x.id))).toBe('tamper_detected');
  });

  it('a deleted entry put back beside the current holder of its title makes the title ambiguous, or refuses the copy', () => {
    const v = t.store.createVault({ name: 'Work' });
    const x = t.store.createEntry(v.id, login('github', 'old-password'));
    const oldX = entryRow(x.id);
    t.store.deleteEntry(v.id, x.id);
    t.store.createEntry(v.id, login('github', 'new-password'));
    expect(t.store.getEntry(v.id, 'github').fields.password).toBe('new-password');
    putBack(oldX);
    expect(codeOf(() => t.store.getEntry(v.id, 'github'))).toBe('conflict');
    expect(codeOf(() => t.store.getEntry(v.id, x.id))).toBe('tamper_detected');
  });

  it("the store's own writes move the hint: a rename, a second entry of the same title, a delete", () => {
    const v = t.store.createVault({ name: 'Work' });
    const a = t.store.createEntry(v.id, login('A', 'secret-a'));
    expect(t.store.getEntry(v.id, 'A').id).toBe(a.id);
    t.store.updateEntry(v.id, a.id, { title: 'Renamed' });
    expect(codeOf(() => t.store.getEntry(v.id, 'A'))).toBe('not_found');
    expect(t.store.getEntry(v.id, 'renamed').id).toBe(a.id);
    const b = t.store.createEntry(v.id, login('Renamed', 'secret-b'));
    expect(codeOf(() => t.store.getEntry(v.id, 'Renamed'))).toBe('conflict');
    t.store.deleteEntry(v.id, a.id);
    expect(t.store.getEntry(v.id, 'Renamed').id).toBe(b.id);
    t.store.importEntries(v.id, [login('Renamed', 'secret-c')]);
    expect(codeOf(() => t.store.getEntry(v.id, 'Renamed'))).toBe('conflict');
    // A rename onto a title in use, the number of rows unchanged.
    const d = t.store.createEntry(v.id, login('D', 'secret-d'));
    const e = t.store.createEntry(v.id, login('E', 'secret-e'));
    expect(t.store.getEntry(v.id, 'D').id).toBe(d.id);
    t.store.updateEntry(v.id, e.id, { title: 'D' });
    expect(codeOf(() => t.store.getEntry(v.id, 'D'))).toBe('conflict');
  });

  it('an entry renamed by another writer of the database file answers to its new title only', () => {
    const v = t.store.createVault({ name: 'Work' });
    const a = t.store.createEntry(v.id, login('A', 'secret-a'));
    t.store.createEntry(v.id, login('B', 'secret-b'));
    expect(t.store.getEntry(v.id, 'A').id).toBe(a.id);
    secondStore().updateEntry(v.id, a.id, { title: 'Z' });
    expect(codeOf(() => t.store.getEntry(v.id, 'A'))).toBe('not_found');
    expect(t.store.getEntry(v.id, 'Z').id).toBe(a.id);
  });

  it('a same-titled row added by another writer of the database file is seen: the title becomes ambiguous', () => {
    const v = t.store.createVault({ name: 'Work' });
    const a = t.store.createEntry(v.id, login('A', 'secret-a'));
    expect(t.store.getEntry(v.id, 'A').id).toBe(a.id);
    const other = secondStore();
    other.createEntry(v.id, login('A', 'planted'));
    expect(codeOf(() => t.store.getEntry(v.id, 'A'))).toBe('conflict');
  });

  it('titles do not cross vaults, and nothing is hinted once locked', () => {
    const work = t.store.createVault({ name: 'Work' });
    const home = t.store.createVault({ name: 'Home' });
    t.store.createEntry(work.id, login('A', 'work-a'));
    const homeA = t.store.createEntry(home.id, login('A', 'home-a'));
    expect(t.store.getEntry('work', 'A').fields.password).toBe('work-a');
    expect(t.store.getEntry('home', 'A').id).toBe(homeA.id);
    t.store.lock();
    expect(codeOf(() => t.store.getEntry('work', 'A'))).toBe('vault_locked');
  });
});

describe('vaults by name', () => {
  it('a rename, a delete and a new vault of the same name all move the hint', () => {
    const work = t.store.createVault({ name: 'Work' });
    expect(t.store.getVault('work').id).toBe(work.id);
    t.store.updateVault(work.id, { name: 'Office' });
    expect(codeOf(() => t.store.getVault('Work'))).toBe('not_found');
    expect(t.store.getVault('office').id).toBe(work.id);
    t.store.deleteVault(work.id);
    expect(codeOf(() => t.store.getVault('Office'))).toBe('not_found');
    const again = t.store.createVault({ name: 'Office' });
    expect(t.store.getVault('Office').id).toBe(again.id);
  });

  it('a vault renamed by another writer of the database file answers to its new name only', () => {
    const work = t.store.createVault({ name: 'Work' });
    expect(t.store.getVault('Work').id).toBe(work.id);
    secondStore().updateVault(work.id, { name: 'Office' });
    expect(codeOf(() => t.store.getVault('Work'))).toBe('not_found');
    expect(t.store.getVault('Office').id).toBe(work.id);
  });

  it("another vault's sealed settings copied onto the hinted vault fail to open", () => {
    const work = t.store.createVault({ name: 'Work' });
    const home = t.store.createVault({ name: 'Home' });
    expect(t.store.getVault('Home').id).toBe(home.id);
    t.db.prepare('UPDATE vaults SET sealed_meta = (SELECT sealed_meta FROM vaults WHERE id = ?) WHERE id = ?').run(work.id, home.id);
    expect(codeOf(() => t.store.getVault('Home'))).toBe('integrity_error');
  });

  it('an older copy of a vault put back under its name is refused as stale', () => {
    const work = t.store.createVault({ name: 'Work', approval: { mode: 'every_access' } });
    const old = t.db.prepare('SELECT * FROM vaults WHERE id = ?').get(work.id) as Row;
    t.store.updateVault(work.id, { name: 'Office' });
    expect(t.store.getVault('Office').id).toBe(work.id);
    t.db.prepare('UPDATE vaults SET sealed_meta = @sealed_meta, version = @version WHERE id = @id').run(old);
    expect(codeOf(() => t.store.getVault('Work'))).toBe('tamper_detected');
    expect(codeOf(() => t.store.getVault('Office'))).toBe('not_found');
  });
});

/** A second vault store on its own connection to the same file, unlocked with the same master key: another process. */
function secondStore(): VaultStore {
  const db = openDatabase(t.file);
  opened.push(db);
  const store = new VaultStore(db);
  store.unlock(t.master);
  return store;
}
