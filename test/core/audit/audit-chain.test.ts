import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonicalRow, chainedFields, checkpointMessage, GENESIS_HASH, rowHash, toHex } from '../../../src/core/audit/audit-chain.js';
import { canonicalJson } from '../../../src/core/audit/canonical-json.js';
import type { AuditRow } from '../../../src/shared/model.js';

const row: Omit<AuditRow, 'hash'> = {
  seq: 1,
  ts: 1_700_000_000_000,
  actor: 'agent',
  agent: 'ci',
  tokenId: 'jti-9',
  keyThumbprint: null,
  action: 'secret.read',
  vaultId: 'v1',
  entryId: 'e1',
  field: 'password',
  reason: 'deploy',
  outcome: 'allowed',
  errorCode: null,
  approvalId: null,
  detail: { count: 2, b: 'x' },
};

describe('audit chain', () => {
  it('matches an independent computation of the documented canonical form', () => {
    // Written by hand from the comment in audit-chain.ts, without canonicalJson.
    const canonical =
      '{"action":"secret.read","actor":"agent","agent":"ci","approvalId":null,"detail":{"b":"x","count":2},' +
      '"entryId":"e1","errorCode":null,"field":"password","keyThumbprint":null,"outcome":"allowed","reason":"deploy",' +
      '"seq":1,"tokenId":"jti-9","ts":1700000000000,"vaultId":"v1"}';
    const expected = createHash('sha256').update(Buffer.alloc(32)).update(canonical, 'utf8').digest('hex');
    expect(toHex(rowHash(GENESIS_HASH, row))).toBe(expected);
  });

  it('chains: the previous hash changes the result', () => {
    const first = rowHash(GENESIS_HASH, row);
    const second = rowHash(first, { ...row, seq: 2 });
    expect(toHex(second)).not.toBe(toHex(rowHash(GENESIS_HASH, { ...row, seq: 2 })));
  });

  it('covers every field, seq and ts included', () => {
    const base = toHex(rowHash(GENESIS_HASH, row));
    const changes: Partial<Omit<AuditRow, 'hash'>>[] = [
      { seq: 2 }, { ts: row.ts + 1 }, { actor: 'person' }, { agent: null }, { tokenId: 'jti-8' }, { keyThumbprint: 'k' },
      { action: 'secret.use' }, { vaultId: 'v2' }, { entryId: null }, { field: 'username' }, { reason: 'Deploy' },
      { outcome: 'refused' }, { errorCode: 'x' }, { approvalId: 'a' }, { detail: { count: 3, b: 'x' } }, { detail: null },
    ];
    for (const change of changes) expect(toHex(rowHash(GENESIS_HASH, { ...row, ...change }))).not.toBe(base);
  });

  it('writes a row exactly as the generic canonical JSON of its 15 fields does', () => {
    const rows: Omit<AuditRow, 'hash'>[] = [
      row,
      { ...row, detail: null, agent: null, reason: 'quote " backslash \\ newline \n é 😀 \u2028' },
      { ...row, detail: { z: [1, { y: null, x: true }], a: 'ü', '\u00e9': 0.5 }, errorCode: 'audit_unavailable' },
    ];
    for (const r of rows) expect(canonicalRow(r)).toBe(canonicalJson(chainedFields(r)));
  });

  it('refuses a previous hash that is not 32 bytes', () => {
    expect(() => rowHash(new Uint8Array(31), row)).toThrow(RangeError);
  });

  it('has a fixed checkpoint message', () => {
    const hex = 'ab'.repeat(32);
    expect(Buffer.from(checkpointMessage(1000, hex)).toString('utf8')).toBe(`valetkey-audit-checkpoint-v1\n1000\n${hex}`);
  });
});
