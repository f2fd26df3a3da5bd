/**
 * A truncated, altered, reordered or extended backup is refused (invalid_backup) before anything
 * is restored, and so is the right file under the wrong passphrase. The file never holds a value
 * in the clear.
 */
import sodium from 'libsodium-wrappers-sumo';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBackup } from '../../../src/core/backup/backup-open.js';
import { BackupService } from '../../../src/core/backup/backup-service.js';
import { BACKUP_MAGIC, CHUNK_BYTES, sealBackup } from '../../../src/core/backup/backup-stream.js';
import { loadSodium } from '../../../src/core/crypto/sodium.js';
import { isVkError, type VkError } from '../../../src/shared/errors.js';
import { openTestEngine, type TestEngine } from '../../helpers/engine-fixture.js';
import { tempFiles } from '../import/import-fixtures.js';
import { FAST } from './backup-test-helpers.js';

const PASS = 'backup passphrase ✓';
const ABYTES = 17;

let plain: Uint8Array;
let file: Uint8Array;
/** Offsets of each chunk's length field. */
let chunkStarts: number[];

function refusal(bytes: Uint8Array, passphrase = PASS): VkError {
  try {
    openBackup(bytes, passphrase, 'b.valetkey');
  } catch (e) {
    if (isVkError(e)) return e;
    throw e;
  }
  throw new Error('the backup was accepted');
}

function splice(at: number, remove: number, insert: Uint8Array = new Uint8Array()): Uint8Array {
  return Uint8Array.from([...file.subarray(0, at), ...insert, ...file.subarray(at + remove)]);
}

beforeAll(async () => {
  // The engine loads libsodium only for backups (its handlers do it); this test seals directly.
  await loadSodium();
  await sodium.ready;
  plain = sodium.randombytes_buf(3 * CHUNK_BYTES + 100);
  file = sealBackup(plain, PASS, FAST(), new Date(0));
  const headerLength = new DataView(file.buffer, file.byteOffset + BACKUP_MAGIC.length, 4).getUint32(0);
  let at = BACKUP_MAGIC.length + 4 + headerLength + 24;
  chunkStarts = [];
  while (at < file.length) {
    chunkStarts.push(at);
    at += 4 + new DataView(file.buffer, file.byteOffset + at, 4).getUint32(0);
  }
  expect(chunkStarts).toHaveLength(4);
});

describe('truncation', () => {
  it('refuses the file cut at every boundary and in the middle of every part', () => {
    const cuts = [5, BACKUP_MAGIC.length + 2, BACKUP_MAGIC.length + 10, chunkStarts[0]! - 10, ...chunkStarts, ...chunkStarts.map((c) => c + 2), ...chunkStarts.map((c) => c + 100), file.length - 1];
    for (const at of cuts) {
      const e = refusal(file.subarray(0, at));
      expect(e.code, `cut at ${at}`).toBe('invalid_backup');
    }
    // Cut exactly between chunks: every byte present is authentic, but the final tag never came.
    expect(refusal(file.subarray(0, chunkStarts[3]!)).detail).toBe('b.valetkey: the backup is truncated (it ends before its final chunk)');
  });
});

describe('alteration', () => {
  it('refuses a flipped bit anywhere after the magic', () => {
    const positions = [BACKUP_MAGIC.length + 30, chunkStarts[0]! - 5, chunkStarts[0]! + 10, chunkStarts[1]! + 4 + 500, chunkStarts[3]! + 4 + 50, file.length - 1];
    for (const at of positions) {
      const altered = file.slice();
      altered[at]! ^= 0x01;
      expect(refusal(altered).code, `bit flip at ${at}`).toBe('invalid_backup');
    }
  });

  it('refuses an edited header even where the key would not change (its date)', () => {
    const text = Buffer.from(file).toString('latin1').replace('1970-01-01T00:00:00.000Z', '1999-01-01T00:00:00.000Z');
    expect(refusal(Uint8Array.from(Buffer.from(text, 'latin1'))).detail).toMatch(/chunk 1 does not verify/);
  });

  it('refuses chunks dropped, repeated or swapped, and bytes after the end', () => {
    const chunk = (i: number) => file.subarray(chunkStarts[i]!, chunkStarts[i + 1] ?? file.length);
    const dropped = splice(chunkStarts[1]!, chunk(1).length);
    const repeated = splice(chunkStarts[2]!, 0, chunk(1));
    const swapped = Uint8Array.from([...file.subarray(0, chunkStarts[1]!), ...chunk(2), ...chunk(1), ...file.subarray(chunkStarts[3]!)]);
    for (const bytes of [dropped, repeated, swapped]) expect(refusal(bytes).code).toBe('invalid_backup');
    expect(refusal(Uint8Array.from([...file, 0])).detail).toBe('b.valetkey: there are bytes after the end of the backup (altered?)');
    expect(refusal(Uint8Array.from([...file, ...chunk(3)])).code).toBe('invalid_backup');
  });

  it('refuses a chunk length beyond the chunk size without allocating it', () => {
    const altered = file.slice();
    new DataView(altered.buffer).setUint32(chunkStarts[0]!, CHUNK_BYTES + ABYTES + 1);
    expect(refusal(altered).detail).toBe('b.valetkey: chunk 1 is damaged');
  });

  it('refuses planted key-derivation parameters before deriving anything', () => {
    const length = new DataView(file.buffer, file.byteOffset + BACKUP_MAGIC.length, 4).getUint32(0);
    const start = BACKUP_MAGIC.length + 4;
    const header = JSON.parse(new TextDecoder().decode(file.subarray(start, start + length))) as { kdf: { opslimit: number } };
    header.kdf.opslimit = 999_999;
    const json = new TextEncoder().encode(JSON.stringify(header));
    const size = new Uint8Array(4);
    new DataView(size.buffer).setUint32(0, json.length);
    const planted = Uint8Array.from([...file.subarray(0, BACKUP_MAGIC.length), ...size, ...json, ...file.subarray(start + length)]);
    const started = Date.now();
    expect(refusal(planted).detail).toMatch(/key-derivation parameters are damaged or out of range/);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('refuses a file that is not a backup, and the right file under the wrong passphrase', () => {
    expect(refusal(new TextEncoder().encode('{"items": []}')).detail).toBe('b.valetkey: this is not a Valetkey backup');
    expect(refusal(file, 'wrong passphrase!').detail).toBe('b.valetkey: chunk 1 does not verify: wrong passphrase, or the file was altered');
  });
});

describe('restore through the engine', () => {
  let t: TestEngine;
  let files: ReturnType<typeof tempFiles>;
  let service: BackupService;

  beforeAll(async () => {
    t = await openTestEngine();
    files = tempFiles();
    service = new BackupService(t.engine.vaults, t.engine.db, { kdfLimits: FAST });
    const vault = await t.admin.createVault({ grant: t.grant, vault: { name: 'Keys' } });
    await t.admin.createEntry({ grant: t.grant, vaultId: vault.id, entry: { title: 'Prod DB', kind: 'login', fields: { username: 'admin', password: 'prod-db-pass-5521' } } });
  });

  afterAll(async () => {
    await t.close();
    files.cleanup();
  });

  it('writes no value in the clear, and refuses a truncated or altered copy leaving the vaults as they were', async () => {
    const path = `${files.dir}/keys.valetkey`;
    service.create({ vaults: ['Keys'], path, passphrase: PASS });
    const bytes = new Uint8Array(await import('node:fs').then((fs) => fs.readFileSync(path)));
    expect(Buffer.from(bytes).includes('prod-db-pass-5521')).toBe(false);
    expect(Buffer.from(bytes).includes('Prod DB')).toBe(false);
    const before = JSON.stringify(await t.admin.listEntries({}));
    const truncated = files.write('truncated.valetkey', bytes.subarray(0, bytes.length - 20));
    const altered = bytes.slice();
    altered[altered.length - 30]! ^= 0xff;
    const alteredPath = files.write('altered.valetkey', altered);
    for (const p of [truncated, alteredPath]) {
      await expect(t.admin.restoreBackup({ grant: t.grant, path: p, passphrase: PASS, asNew: 'Restored' })).rejects.toMatchObject({ code: 'invalid_backup' });
    }
    expect(JSON.stringify(await t.admin.listEntries({}))).toBe(before);
    expect((await t.admin.listVaults({})).map((v) => v.name)).toEqual(['Keys']);
  });

  it('needs the admin passphrase to back up, restore or export', async () => {
    const path = `${files.dir}/nogrant.valetkey`;
    await expect(t.admin.createBackup({ vaults: ['Keys'], path, passphrase: PASS })).rejects.toMatchObject({ code: 'grant_required' });
    await expect(t.admin.restoreBackup({ path, passphrase: PASS })).rejects.toMatchObject({ code: 'grant_required' });
    await expect(t.admin.exportBitwarden({ vaults: ['Keys'], path, acknowledgePlaintext: true })).rejects.toMatchObject({ code: 'grant_required' });
    expect(await import('node:fs').then((fs) => fs.existsSync(path))).toBe(false);
  });
});
