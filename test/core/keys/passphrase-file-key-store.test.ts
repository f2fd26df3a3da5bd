import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadSodium, sodium } from '../../../src/core/crypto/sodium.js';
import { generateEngineKeys } from '../../../src/core/keys/key-store.js';
import { PassphraseFileKeyStore } from '../../../src/core/keys/passphrase-file-key-store.js';
import { makeTempDir } from './temp-dir.js';

const PASS = 'correct horse battery';
let fast: { opslimit: number; memlimit: number };
let tmp: ReturnType<typeof makeTempDir>;

beforeAll(async () => {
  await loadSodium();
  fast = { opslimit: sodium().crypto_pwhash_OPSLIMIT_INTERACTIVE, memlimit: sodium().crypto_pwhash_MEMLIMIT_INTERACTIVE };
});
beforeEach(() => { tmp = makeTempDir(); });
afterEach(() => tmp.cleanup());

describe('PassphraseFileKeyStore', () => {
  it('round-trips the keys at the real MODERATE limits and stores those limits in the file', async () => {
    const file = path.join(tmp.dir, 'keys.json');
    const store = new PassphraseFileKeyStore(file);
    expect(store.kind).toBe('key_file');
    expect(await store.exists()).toBe(false);
    const keys = generateEngineKeys();
    await store.create(keys, PASS);
    expect(await store.exists()).toBe(true);
    const loaded = await store.load(PASS);
    expect(Buffer.from(loaded.master).equals(Buffer.from(keys.master))).toBe(true);
    expect(Buffer.from(loaded.signing).equals(Buffer.from(keys.signing))).toBe(true);
    const json = JSON.parse(fs.readFileSync(file, 'utf8'));
    expect(json).toMatchObject({ format: 'valetkey-key-file', v: 1, kdf: { alg: 'argon2id13' } });
    expect(json.kdf.opslimit).toBe(sodium().crypto_pwhash_OPSLIMIT_MODERATE);
    expect(json.kdf.memlimit).toBe(sodium().crypto_pwhash_MEMLIMIT_MODERATE);
    expect(Buffer.from(json.kdf.salt, 'base64')).toHaveLength(16);
  });

  it('writes the file with mode 0600 and leaves no temp file behind', async () => {
    const file = path.join(tmp.dir, 'keys.json');
    const old = process.umask(0o000); // even with a permissive umask
    try {
      await new PassphraseFileKeyStore(file, fast).create(generateEngineKeys(), PASS);
    } finally {
      process.umask(old);
    }
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.readdirSync(tmp.dir)).toEqual(['keys.json']);
  });

  it('reads the KDF parameters from the file, not from its own options', async () => {
    const file = path.join(tmp.dir, 'keys.json');
    const keys = generateEngineKeys();
    await new PassphraseFileKeyStore(file, fast).create(keys, PASS);
    const other = new PassphraseFileKeyStore(file, { opslimit: 3, memlimit: fast.memlimit * 2 });
    expect(Buffer.from((await other.load(PASS)).master).equals(Buffer.from(keys.master))).toBe(true);
  });

  it('replace swaps the keys and can change the passphrase; create refuses to overwrite', async () => {
    const file = path.join(tmp.dir, 'keys.json');
    const store = new PassphraseFileKeyStore(file, fast);
    await store.create(generateEngineKeys(), PASS);
    await expect(store.create(generateEngineKeys(), PASS)).rejects.toMatchObject({ code: 'already_initialized' });
    const next = generateEngineKeys();
    await store.replace(next, 'a brand new passphrase');
    expect(Buffer.from((await store.load('a brand new passphrase')).signing).equals(Buffer.from(next.signing))).toBe(true);
    await expect(store.load(PASS)).rejects.toMatchObject({ code: 'passphrase_invalid' });
  });

  it('destroy removes the file; a missing file is key_missing', async () => {
    const file = path.join(tmp.dir, 'keys.json');
    const store = new PassphraseFileKeyStore(file, fast);
    await expect(store.load(PASS)).rejects.toMatchObject({ code: 'key_missing' });
    await store.create(generateEngineKeys(), PASS);
    await store.destroy();
    expect(fs.existsSync(file)).toBe(false);
    await expect(store.load(PASS)).rejects.toMatchObject({ code: 'key_missing' });
  });

  it('refuses a passphrase shorter than 10 characters, writing nothing', async () => {
    const file = path.join(tmp.dir, 'keys.json');
    const store = new PassphraseFileKeyStore(file, fast);
    await expect(store.create(generateEngineKeys(), 'short')).rejects.toMatchObject({ code: 'passphrase_too_short' });
    await expect(store.create(generateEngineKeys())).rejects.toMatchObject({ code: 'passphrase_too_short' });
    expect(fs.readdirSync(tmp.dir)).toEqual([]);
  });
});
