/**
 * KDBX 4 databases, with their password, under each key-derivation function KeePass offers:
 * Argon2id and Argon2d (from hash-wasm) and AES-KDF. The database is the KeePass XML fixture
 * saved by kdbxweb; what it yields must equal what the XML yields.
 */
import kdbxweb from 'kdbxweb';
import { describe, expect, it } from 'vitest';
import { installKdbxArgon2 } from '../../../src/core/import/kdbx-argon2.js';
import { loadSodium } from '../../../src/core/crypto/sodium.js';
import { parseImport } from '../../../src/core/import/parse-import.js';
import { fixture, kdbx4, KDBX_PASSWORD } from './import-fixtures.js';

describe('KDBX 4', async () => {
  const fromXml = await parseImport({ name: 'keepass.xml', bytes: fixture('keepass.xml') });

  it.each(['argon2id', 'argon2d', 'aes'] as const)('opens a database using %s with its password', async (kdf) => {
    const bytes = await kdbx4(kdf);
    const parsed = await parseImport({ name: 'db.kdbx', bytes, kdbxPassword: KDBX_PASSWORD });
    expect(parsed.format).toBe('kdbx');
    expect(parsed.items.map((i) => [i.where, i.title, i.entry ?? i.skipReason])).toEqual(fromXml.items.map((i) => [i.where, i.title, i.entry ?? i.skipReason]));
  });

  it('is version 4 on disk', async () => {
    const bytes = await kdbx4();
    // KDBX header: signatures (8 bytes), then minor and major version as little-endian u16.
    expect(bytes[10]! | (bytes[11]! << 8)).toBe(4);
  });

  it('refuses a wrong password, a missing one, and a truncated file, naming the file', async () => {
    const bytes = await kdbx4();
    await expect(parseImport({ name: 'db.kdbx', bytes, kdbxPassword: 'not it' })).rejects.toThrow('db.kdbx: the KDBX password is wrong');
    await expect(parseImport({ name: 'db.kdbx', bytes })).rejects.toThrow('db.kdbx: a KDBX database needs its password');
    await expect(parseImport({ name: 'db.kdbx', bytes: bytes.slice(0, bytes.length - 100), kdbxPassword: KDBX_PASSWORD })).rejects.toThrow('db.kdbx: the KDBX file is damaged or truncated');
    await expect(parseImport({ name: 'db.kdbx', bytes: bytes.slice(0, 40), kdbxPassword: KDBX_PASSWORD })).rejects.toThrow(/^.*db\.kdbx: the KDBX file/);
  });

  it('never puts the password or a value in the error', async () => {
    const bytes = await kdbx4();
    const wrong = 'wrong-pässword-4471';
    const error = await parseImport({ name: 'db.kdbx', bytes, kdbxPassword: wrong }).catch((e: Error) => e);
    expect(String((error as Error).message)).not.toContain(wrong);
  });

  it('refuses key-derivation settings a planted file could use to exhaust the machine', async () => {
    installKdbxArgon2();
    const salt = new Uint8Array(32).buffer;
    const password = new Uint8Array(32).buffer;
    const huge = kdbxweb.CryptoEngine.argon2(password, salt, 4 * 1024 * 1024, 2, 32, 1, kdbxweb.CryptoEngine.Argon2TypeArgon2id, 0x13);
    await expect(huge).rejects.toThrow(/more memory or time than Valetkey will spend/);
    const long = kdbxweb.CryptoEngine.argon2(password, salt, 1024, 1_000_000, 32, 1, kdbxweb.CryptoEngine.Argon2TypeArgon2d, 0x13);
    await expect(long).rejects.toThrow(/more memory or time/);
    const fine = await kdbxweb.CryptoEngine.argon2(password, salt, 1024, 2, 32, 1, kdbxweb.CryptoEngine.Argon2TypeArgon2id, 0x13);
    expect(new Uint8Array(fine)).toHaveLength(32);
  });

  it('computes the same Argon2id as libsodium (so real KeePass files open, not only our own)', async () => {
    installKdbxArgon2();
    const sodium = await loadSodium();
    const password = new TextEncoder().encode('correct horse');
    const salt = new Uint8Array(16).map((_, i) => i);
    const ours = await kdbxweb.CryptoEngine.argon2(password.slice().buffer, salt.slice().buffer, 8192, 3, 32, 1, kdbxweb.CryptoEngine.Argon2TypeArgon2id, 0x13);
    const reference = sodium.crypto_pwhash(32, password, salt, 3, 8192 * 1024, sodium.crypto_pwhash_ALG_ARGON2ID13);
    expect(Buffer.from(ours).toString('hex')).toBe(Buffer.from(reference).toString('hex'));
  });
});
