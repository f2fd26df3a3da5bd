/**
 * Attack tests for storage crypto (docs/security.md items 37, 38, 39): no plaintext on disk, and a
 * ciphertext moved, tampered or rolled back never opens.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadSodium } from '../../../src/core/crypto/sodium.js';
import { VkError } from '../../../src/shared/errors.js';
import type { EntryInput } from '../../../src/shared/model.js';
import { randomMaster, tempStore, type TempStore } from './temp-store.js';
import { syncErrorCode } from '../../helpers/error-code.js';

const codeOf = syncErrorCode;

const mark = (what: string): string => `${what}-${randomBytes(8).toString('hex')}`;

let t: TempStore;
beforeAll(async () => {
  await loadSodium();
});
beforeEach(() => {
  t = tempStore();
});
afterEach(() => t.cleanup());

describe('nothing readable on disk', () => {
  /** Every byte SQLite has written: the main file, the WAL and the shared-memory index. */
  function diskBytes(): Buffer {
    const files = ['', '-wal', '-shm'].map((s) => `${t.file}${s}`).filter((f) => existsSync(f));
    return Buffer.concat(files.map((f) => readFileSync(f)));
  }

  function expectAbsent(bytes: Buffer, secrets: readonly string[]): void {
    for (const s of secrets) {
      expect(bytes.includes(Buffer.from(s, 'utf8')), `${s.split('-')[0]} (utf8)`).toBe(false);
      expect(bytes.includes(Buffer.from(s, 'utf16le')), `${s.split('-')[0]} (utf16)`).toBe(false);
    }
  }

  it('stores no vault name, title, username, password, notes, custom field, API key, TOTP seed or host in plain', () => {
    const secrets = ['vaultname', 'title', 'username', 'password', 'notes', 'customname', 'hiddenvalue', 'apikey', 'host'].map(mark);
    const [vaultName, title, username, password, notes, customName, hidden, apiKey, host] = secrets as [string, string, string, string, string, string, string, string, string];
    const v = t.store.createVault({ name: vaultName });
    const input: EntryInput = {
      title,
      kind: 'login',
      fields: { username, password, notes, apiKey, totp: 'JBSWY3DPEHPK3PXP', custom: [{ name: customName, value: hidden, hidden: true }] },
      allowedHosts: [`${host}.example.com`],
    };
    const e = t.store.createEntry(v.id, input);
    t.store.updateEntry(v.id, e.id, { fields: { ...input.fields, password: `${password}-v2` } });
    t.store.createEntry(v.id, { ...input, title: `${title}-deleted` });
    t.store.deleteEntry(v.id, t.store.getEntry(v.id, `${title}-deleted`).id);

    const live = diskBytes();
    // The grep itself works: the plain entry id is on disk.
    expect(live.includes(Buffer.from(e.id))).toBe(true);
    expectAbsent(live, [...secrets, 'JBSWY3DPEHPK3PXP']);

    t.db.pragma('wal_checkpoint(TRUNCATE)');
    expectAbsent(diskBytes(), [...secrets, 'JBSWY3DPEHPK3PXP']);

    t.db.close();
    const closed = diskBytes();
    expect(closed.includes(Buffer.from(e.id))).toBe(true);
    expectAbsent(closed, [...secrets, 'JBSWY3DPEHPK3PXP']);
  });
});

describe('ciphertexts stay where they were sealed', () => {
  const login = (title: string, password: string): EntryInput => ({ title, kind: 'login', fields: { password } });

  function copyColumn(column: 'sealed_fields' | 'sealed_title', from: string, to: string): void {
    t.db.prepare(`UPDATE entries SET ${column} = (SELECT ${column} FROM entries WHERE id = ?) WHERE id = ?`).run(from, to);
  }

  it('a sealed_fields blob copied onto another entry in the same vault fails to open', () => {
    const v = t.store.createVault({ name: 'Work' });
    const a = t.store.createEntry(v.id, login('A', 'secret-a'));
    const b = t.store.createEntry(v.id, login('B', 'secret-b'));
    copyColumn('sealed_fields', a.id, b.id);
    expect(codeOf(() => t.store.getEntry(v.id, b.id))).toBe('integrity_error');
    expect(t.store.getEntry(v.id, a.id).fields.password).toBe('secret-a');
  });

  it('a sealed_title copied onto another entry fails to open', () => {
    const v = t.store.createVault({ name: 'Work' });
    const a = t.store.createEntry(v.id, login('A', 'secret-a'));
    const b = t.store.createEntry(v.id, login('B', 'secret-b'));
    copyColumn('sealed_title', a.id, b.id);
    expect(codeOf(() => t.store.getEntry(v.id, b.id))).toBe('integrity_error');
  });

  it('an entry or its fields moved to another vault fail to open', () => {
    const work = t.store.createVault({ name: 'Work' });
    const home = t.store.createVault({ name: 'Home' });
    const a = t.store.createEntry(work.id, login('A', 'secret-a'));
    const b = t.store.createEntry(home.id, login('B', 'secret-b'));
    copyColumn('sealed_fields', a.id, b.id);
    expect(codeOf(() => t.store.getEntry(home.id, b.id))).toBe('integrity_error');
    // The whole row moved: ids and version unchanged, only the vault differs.
    t.db.prepare('UPDATE entries SET vault_id = ? WHERE id = ?').run(home.id, a.id);
    expect(codeOf(() => t.store.getEntry(home.id, a.id))).toBe('integrity_error');
  });

  it("a vault's wrapped key does not open with another master key, nor under another vault's id", () => {
    const work = t.store.createVault({ name: 'Work' });
    const home = t.store.createVault({ name: 'Home' });
    t.store.lock();
    t.store.unlock(randomMaster());
    expect(codeOf(() => t.store.getVault(work.id))).toBe('integrity_error');
    expect(codeOf(() => t.store.listVaults())).toBe('integrity_error');
    t.store.unlock(t.master);
    t.db.prepare('UPDATE vaults SET wrapped_key = (SELECT wrapped_key FROM vaults WHERE id = ?) WHERE id = ?').run(work.id, home.id);
    expect(codeOf(() => t.store.getVault(home.id))).toBe('integrity_error');
    expect(t.store.getVault(work.id).name).toBe('Work');
  });

  it.each([0, 30, -1])('a flipped byte at %i of sealed_meta fails to open', (at) => {
    const v = t.store.createVault({ name: 'Work' });
    const sealed = t.db.prepare('SELECT sealed_meta FROM vaults WHERE id = ?').pluck().get(v.id) as Buffer;
    const i = at < 0 ? sealed.length + at : at;
    sealed[i] = sealed[i]! ^ 0x01;
    t.db.prepare('UPDATE vaults SET sealed_meta = ? WHERE id = ?').run(sealed, v.id);
    expect(codeOf(() => t.store.getVault(v.id))).toBe('integrity_error');
    expect(codeOf(() => t.store.vaultApproval(v.id))).toBe('integrity_error');
  });

  it("rolling an entry's version column back without resealing fails to open", () => {
    const v = t.store.createVault({ name: 'Work' });
    const e = t.store.createEntry(v.id, login('A', 'secret-1'));
    t.store.updateEntry(v.id, e.id, { fields: { password: 'secret-2' } });
    t.db.prepare('UPDATE entries SET version = 1 WHERE id = ?').run(e.id);
    expect(codeOf(() => t.store.getEntry(v.id, e.id))).toBe('integrity_error');
    expect(codeOf(() => t.store.listEntries(v.id))).toBe('integrity_error');
    expect(codeOf(() => t.store.updateEntry(v.id, e.id, { title: 'B' }))).toBe('integrity_error');
  });

  it("rolling a vault's version column back fails to open", () => {
    const v = t.store.createVault({ name: 'Work', approval: { mode: 'every_access' } });
    t.store.updateVault(v.id, { approval: { mode: 'none' } });
    t.db.prepare('UPDATE vaults SET version = 1 WHERE id = ?').run(v.id);
    expect(codeOf(() => t.store.vaultApproval(v.id))).toBe('integrity_error');
  });

  it('changing the plain kind column is detected', () => {
    const v = t.store.createVault({ name: 'Work' });
    const e = t.store.createEntry(v.id, login('A', 'secret-a'));
    t.db.prepare("UPDATE entries SET kind = 'note' WHERE id = ?").run(e.id);
    expect(codeOf(() => t.store.getEntry(v.id, e.id))).toBe('integrity_error');
  });

  it('integrity errors carry no detail and no value', () => {
    const v = t.store.createVault({ name: 'Work' });
    const a = t.store.createEntry(v.id, login('A', 'secret-a'));
    const b = t.store.createEntry(v.id, login('B', 'secret-b'));
    copyColumn('sealed_fields', a.id, b.id);
    try {
      t.store.getEntry(v.id, b.id);
      expect.unreachable();
    } catch (e) {
      expect((e as VkError).detail).toBeUndefined();
      expect(JSON.stringify(e) + String(e)).not.toMatch(/secret-/);
    }
  });
});
