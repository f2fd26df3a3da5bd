/**
 * A vault or entry row put back from an earlier copy opens (its seal is genuine for the old version
 * it carries) but is older than the newest version saved: it grants nothing until the person saves it
 * again (docs/security.md §9, integrity/versions-in-log.ts). A real SQLite file, rows copied as an
 * agent would copy them.
 */
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AuditRows } from '../../../src/core/audit/audit-rows.js';
import { loadSodium } from '../../../src/core/crypto/sodium.js';
import { VkError } from '../../../src/shared/errors.js';
import { tempStore, type TempStore } from './temp-store.js';

let t: TempStore;
let reported: string[];
beforeAll(async () => {
  await loadSodium();
});
beforeEach(() => {
  t = tempStore();
  reported = [];
  // The file's own (empty) audit log: the store's saves alone raise the floors here.
  t.store.floors.load(new AuditRows(t.db), (table, id) => reported.push(`${table}:${id}`));
});
afterEach(() => t.cleanup());

function refusal(fn: () => unknown): { code: string; message: string } | 'no error' {
  try {
    fn();
  } catch (e) {
    if (e instanceof VkError) return { code: e.code, message: e.message };
    throw e;
  }
  return 'no error';
}

type Row = Record<string, unknown>;
const saveRow = (table: 'vaults' | 'entries', id: string): Row => t.db.prepare(`SELECT * FROM ${table} WHERE id = ?`).get(id) as Row;

describe('rows put back from an earlier copy', () => {
  it('a vault row saved while "never ask" and put back after "every access" → its approval and reads are refused, reported once; the re-save heals it above every version seen', () => {
    const v = t.store.createVault({ name: 'Payroll' });
    t.store.createEntry(v.id, { title: 'Bank', kind: 'api_key', fields: { apiKey: 'vksec-floor-1' } });
    const wide = saveRow('vaults', v.id);
    t.store.updateVault(v.id, { approval: { mode: 'every_access' } });
    t.store.updateVault(v.id, { icon: 'bank' });
    t.db.prepare('UPDATE vaults SET sealed_meta = @sealed_meta, version = @version WHERE id = @id').run(wide);

    expect(refusal(() => t.store.vaultApproval(v.id))).toMatchObject({ code: 'tamper_detected' });
    const read = refusal(() => t.store.getEntry(v.id, 'Bank'));
    expect(read).toMatchObject({ code: 'tamper_detected' });
    expect(JSON.stringify(read)).toContain('save it again');
    expect(JSON.stringify(read)).not.toContain('vksec-floor-1');
    // Reported on each try; the engine's RowSeal audits it once.
    expect(new Set(reported)).toEqual(new Set([`vaults:${v.id}`]));
    // The person's own views still open it, showing what was put back.
    expect(t.store.getVault(v.id, 'allow').approval).toEqual({ mode: 'none' });
    expect(t.store.listVaults().map((x) => x.id)).toContain(v.id);

    t.store.updateVault(v.id, { approval: { mode: 'every_access' } });
    expect(t.store.vaultVersion(v.id)).toBe(4);
    expect(t.store.vaultApproval(v.id)).toEqual({ mode: 'every_access' });
  });

  it('an entry row saved with a second host and put back after it was removed → reads refused, listed without hosts or injection; the re-save heals it', () => {
    const v = t.store.createVault({ name: 'Ops' });
    const e = t.store.createEntry(v.id, {
      title: 'Deploy',
      kind: 'api_key',
      fields: { apiKey: 'vksec-floor-2' },
      allowedHosts: ['api.example.com', 'collector.example.net'],
      injection: { header: 'Authorization: Bearer {value}' },
    });
    const wide = saveRow('entries', e.id);
    t.store.updateEntry(v.id, e.id, { allowedHosts: ['api.example.com'] });
    t.db.prepare('UPDATE entries SET sealed_title = @sealed_title, sealed_fields = @sealed_fields, version = @version WHERE id = @id').run(wide);

    expect(refusal(() => t.store.getEntry(v.id, e.id))).toMatchObject({ code: 'tamper_detected' });
    const listed = t.store.listEntries(v.id).find((x) => x.id === e.id);
    expect([listed?.allowedHosts, listed?.injection]).toEqual([[], undefined]);
    expect(t.store.getEntry(v.id, e.id, 'allow').allowedHosts).toEqual(['api.example.com', 'collector.example.net']);
    expect(new Set(reported)).toEqual(new Set([`entries:${e.id}`]));

    const healed = t.store.updateEntry(v.id, e.id, { allowedHosts: ['api.example.com'] });
    expect(healed.version).toBe(3);
    expect(t.store.getEntry(v.id, e.id).allowedHosts).toEqual(['api.example.com']);
  });

  it('a row at or above the newest version saved opens as before', () => {
    const v = t.store.createVault({ name: 'Plain' });
    t.store.updateVault(v.id, { icon: 'key' });
    expect(t.store.vaultApproval(v.id)).toEqual({ mode: 'none' });
    expect(reported).toEqual([]);
  });
});

describe('rows put back after a delete', () => {
  it('a deleted entry put back → refused, its re-save refused too; deleting it again is the fix', () => {
    const v = t.store.createVault({ name: 'Ops' });
    const e = t.store.createEntry(v.id, { title: 'Old', kind: 'api_key', fields: { apiKey: 'vksec-floor-3' } });
    const saved = saveRow('entries', e.id);
    t.store.deleteEntry(v.id, e.id);
    const columns = Object.keys(saved);
    t.db.prepare(`INSERT INTO entries (${columns.join(', ')}) VALUES (${columns.map((c) => `@${c}`).join(', ')})`).run(saved);

    const read = refusal(() => t.store.getEntry(v.id, e.id));
    expect(read).toMatchObject({ code: 'tamper_detected' });
    expect(JSON.stringify(read)).toContain('delete it again');
    expect(refusal(() => t.store.updateEntry(v.id, e.id, { title: 'Back' }))).toMatchObject({ code: 'tamper_detected' });
    t.store.deleteEntry(v.id, e.id);
    expect(t.store.listEntries(v.id)).toEqual([]);
  });
});
