/** The `.valetkey` container: what goes in comes out, in one chunk or many, under the header it names. */
import sodium from 'libsodium-wrappers-sumo';
import { beforeAll, describe, expect, it } from 'vitest';
import { openBackup } from '../../../src/core/backup/backup-open.js';
import { BACKUP_MAGIC, CHUNK_BYTES, sealBackup } from '../../../src/core/backup/backup-stream.js';
import { loadSodium } from '../../../src/core/crypto/sodium.js';
import { backupHeader, FAST } from './backup-test-helpers.js';

const PASS = 'backup passphrase ✓';

beforeAll(async () => {
  await loadSodium();
});

describe('sealBackup / openBackup', () => {
  it.each([0, CHUNK_BYTES, CHUNK_BYTES + 1, 3 * CHUNK_BYTES + 1234])('round-trips %i bytes', (size) => {
    const plain = sodium.randombytes_buf(size);
    const file = sealBackup(plain, PASS, FAST(), new Date(0));
    expect(openBackup(file, PASS, 'b.valetkey')).toEqual(plain);
  });

  it('starts with the magic and a header naming the format, version and Argon2id parameters, never the contents', () => {
    const plain = new TextEncoder().encode('{"secret":"very-secret-value-9931"}');
    const file = sealBackup(plain, PASS, FAST(), new Date('2025-01-02T03:04:05Z'));
    expect(new TextDecoder().decode(file.subarray(0, BACKUP_MAGIC.length))).toBe(BACKUP_MAGIC);
    expect(backupHeader(file)).toMatchObject({ format: 'valetkey-backup', version: 1, createdAt: '2025-01-02T03:04:05.000Z', kdf: { alg: 'argon2id13', ...FAST() } });
    expect(Buffer.from(file).includes('very-secret-value-9931')).toBe(false);
  });

  it('uses a fresh salt each time, so the same contents never give the same file', () => {
    const plain = new TextEncoder().encode('same');
    const a = sealBackup(plain, PASS, FAST(), new Date(0));
    const b = sealBackup(plain, PASS, FAST(), new Date(0));
    expect((backupHeader(a)['kdf'] as { salt: string }).salt).not.toBe((backupHeader(b)['kdf'] as { salt: string }).salt);
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(false);
  });
});
