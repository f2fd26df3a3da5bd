/**
 * docs/security.md attack 61: a KeePass file with absurd key-derivation parameters (AES-KDF
 * rounds, Argon2 memory or passes) is refused with import_invalid before any of that work is
 * done, while the engine keeps answering. The files are real KDBX 4 databases whose header was
 * edited and its SHA-256 recomputed, as an attacker would: nothing but the KDF stands in the way.
 */
import { createHash } from 'node:crypto';
import kdbxweb from 'kdbxweb';
import { describe, expect, it } from 'vitest';
import { KDBX_PASSWORD, kdbx4, engineWithFiles } from '../core/import/import-fixtures.js';

const fx = engineWithFiles();

/** Rewrites one 8-byte VarDictionary value (`key`) in a KDBX 4 header, then the header's SHA-256. */
function withKdfValue(bytes: Uint8Array, key: 'R' | 'M' | 'I', value: bigint): Uint8Array {
  const out = bytes.slice();
  const header = kdbxweb.KdbxHeader.read(new kdbxweb.BinaryStream(out.slice().buffer), new kdbxweb.KdbxContext({ kdbx: new kdbxweb.Kdbx() }));
  const end = header.endPos ?? 0;
  // UInt64 entry: type 0x05, key length 1, the key, value length 8.
  const pattern = [0x05, 0x01, 0, 0, 0, key.charCodeAt(0), 0x08, 0, 0, 0];
  const at = out.findIndex((_, i) => i < end && pattern.every((b, j) => out[i + j] === b));
  if (at < 0) throw new Error(`no ${key} in the header`);
  new DataView(out.buffer).setBigUint64(at + pattern.length, value, true);
  out.set(createHash('sha256').update(out.subarray(0, end)).digest(), end);
  return out;
}

describe('KeePass imports cannot take the engine down (62)', () => {
  it('attack 61: absurd AES-KDF rounds or Argon2 memory/passes → import_invalid before any work; the engine keeps answering', async () => {
    const vault = await fx.t.admin.createVault({ grant: fx.t.grant, vault: { name: 'Imports' } });
    const hostile = [
      ['aes-rounds', withKdfValue(await kdbx4('aes'), 'R', 2n ** 40n)],
      ['argon2-memory', withKdfValue(await kdbx4('argon2id'), 'M', 64n * 2n ** 30n)],
      ['argon2-passes', withKdfValue(await kdbx4('argon2id'), 'I', 2n ** 32n)],
    ] as const;
    for (const [name, bytes] of hostile) {
      const path = fx.files.write(`${name}.kdbx`, bytes);
      const [preview, status] = await Promise.allSettled([
        fx.t.admin.previewImport({ grant: fx.t.grant, path, vault: vault.id, kdbxPassword: KDBX_PASSWORD }),
        fx.t.admin.status({}),
      ]);
      expect(preview.status, name).toBe('rejected');
      expect(preview.status === 'rejected' ? preview.reason : undefined, name).toMatchObject({ code: 'import_invalid', status: 400 });
      expect(String(preview.status === 'rejected' ? (preview.reason as Error).message : ''), name).not.toContain(KDBX_PASSWORD);
      expect(status.status).toBe('fulfilled');
      await expect(fx.t.admin.runImport({ grant: fx.t.grant, path, vault: vault.id, kdbxPassword: KDBX_PASSWORD })).rejects.toMatchObject({ code: 'import_invalid' });
    }
    expect(await fx.t.admin.listEntries({ vaultId: vault.id })).toEqual([]);
    // The control: the same databases with their own settings import.
    const fine = fx.files.write('fine.kdbx', await kdbx4('aes'));
    const ok = await fx.t.admin.previewImport({ grant: fx.t.grant, path: fine, vault: vault.id, kdbxPassword: KDBX_PASSWORD });
    expect(ok.itemsInFile).toBeGreaterThan(0);
  });
});
