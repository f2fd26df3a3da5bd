/** The admin params schemas: one per method, each field's type checked, errors that name the field and never the value. */
import { describe, expect, it } from 'vitest';
import { ADMIN_METHODS, type AdminMethod } from '../../../src/shared/admin-api.js';
import { ADMIN_SCHEMAS, parseAdminParams } from '../../../src/shared/admin-schemas/admin-schemas.js';
import { isVkError } from '../../../src/shared/errors.js';

// Matches no field's type: not text, number, boolean, object, nor a list of any of them.
const GARBAGE = [[-1.5]];
// Fields that take any value on purpose (only `true` counts, the engine explains anything else).
const ANY_VALUE = new Set(['exportBitwarden.acknowledgePlaintext']);

function refusal(method: AdminMethod, params: unknown): { code: string; detail: string } | undefined {
  try {
    parseAdminParams(method, params);
    return undefined;
  } catch (e) {
    if (!isVkError(e)) throw e;
    return { code: e.code, detail: e.detail ?? '' };
  }
}

const methods = Object.keys(ADMIN_METHODS) as AdminMethod[];

describe('admin params schemas', () => {
  it('has a schema for every method of the contract and no other', () => {
    expect(Object.keys(ADMIN_SCHEMAS).sort()).toEqual([...methods].sort());
  });

  it.each(methods)('%s refuses params that are not an object', (method) => {
    for (const params of ['status', 7, [], null, true]) expect(refusal(method, params)?.code, String(params)).toBe('invalid_request');
  });

  it.each(methods)('%s refuses a wrong-typed value in each of its fields', (method) => {
    for (const field of Object.keys(ADMIN_SCHEMAS[method].shape)) {
      if (ANY_VALUE.has(`${method}.${field}`)) continue;
      const parsed = ADMIN_SCHEMAS[method].safeParse({ [field]: GARBAGE });
      expect(parsed.error?.issues.some((i) => i.path[0] === field), `${method}.${field}`).toBe(true);
      expect(refusal(method, { [field]: GARBAGE })?.code, `${method}.${field}`).toBe('invalid_request');
    }
  });

  it('says what the field must be, without quoting the value', () => {
    const refused = refusal('createVault', { vault: { name: 'hunter2-secret', colour: 42 } });
    expect(refused?.detail).toBe('`vault.colour` must be text.');
    const format = refusal('downloadAuditExport', { format: 'hunter2-secret' });
    expect(format?.detail).toBe('`format` must be "csv", "jsonl", "cef", "ocsf".');
    expect(JSON.stringify(format)).not.toContain('hunter2');
  });

  it('refuses a misspelt tripwire rule and an unknown audit filter instead of dropping them', () => {
    expect(refusal('setTokenRules', { tokenId: 't', rules: { brust: { perMinute: 1, action: 'alert' } } })?.detail).toContain('`rules` has no field `brust`');
    expect(refusal('queryAudit', { agentt: 'x' })?.code).toBe('invalid_request');
  });

  it('treats null as absent for optional fields, and keeps a canary or injection null (it takes the setting off)', () => {
    expect(parseAdminParams('listEntries', { vaultId: null, query: 'git' })).toEqual({ vaultId: undefined, query: 'git' });
    const parsed = parseAdminParams('updateEntry', { vaultId: 'v', entryId: 'e', changes: { canary: null } });
    expect(parsed.changes).toEqual({ canary: null });
    const cleared = parseAdminParams('updateEntry', { vaultId: 'v', entryId: 'e', changes: { injection: null, injectionByHost: null } });
    expect(cleared.changes).toEqual({ injection: null, injectionByHost: null });
  });

  it('drops fields the contract does not name, so a handler sees only what its type says', () => {
    expect(parseAdminParams('deleteVault', { vaultId: 'v', sql: 'DROP TABLE' })).toEqual({ vaultId: 'v' });
  });
});
