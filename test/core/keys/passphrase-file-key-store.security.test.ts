import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadSodium, sodium } from '../../../src/core/crypto/sodium.js';
import { generateEngineKeys, type EngineKeys } from '../../../src/core/keys/key-store.js';
import { PassphraseFileKeyStore } from '../../../src/core/keys/passphrase-file-key-store.js';
import { keyForms, makeTempDir } from './temp-dir.js';

const PASS = 'correct horse battery';
let tmp: ReturnType<typeof makeTempDir>;
let file: string;
let keys: EngineKeys;
let store: PassphraseFileKeyStore;

beforeAll(async () => { await loadSodium(); });
beforeEach(async () => {
  tmp = makeTempDir();
  file = path.join(tmp.dir, 'keys.json');
  store = new PassphraseFileKeyStore(file, { opslimit: sodium().crypto_pwhash_OPSLIMIT_INTERACTIVE, memlimit: sodium().crypto_pwhash_MEMLIMIT_INTERACTIVE });
  keys = generateEngineKeys();
  await store.create(keys, PASS);
});
afterEach(() => tmp.cleanup());

interface KeyFileJson { sealed: string; kdf: { opslimit: number; memlimit: number } }

function rewrite(edit: (json: KeyFileJson) => void): void {
  const json = JSON.parse(fs.readFileSync(file, 'utf8')) as KeyFileJson;
  edit(json);
  fs.writeFileSync(file, JSON.stringify(json));
}

describe('PassphraseFileKeyStore (attacks)', () => {
  it('holds no key bytes in clear: raw, hex, base64 or base64url', () => {
    const content = fs.readFileSync(file);
    for (const form of [...keyForms(keys.master), ...keyForms(keys.signing)]) expect(content.includes(form)).toBe(false);
  });

  it('a wrong or missing passphrase is passphrase_invalid', async () => {
    await expect(store.load('correct horse battery!')).rejects.toMatchObject({ code: 'passphrase_invalid' });
    await expect(store.load()).rejects.toMatchObject({ code: 'passphrase_invalid' });
  });

  // A flipped ciphertext byte fails the Poly1305 tag exactly as a wrong passphrase does; the AEAD
  // cannot tell them apart, so it is reported as passphrase_invalid (retry, then restore).
  it('a flipped byte in the sealed keys is passphrase_invalid', async () => {
    rewrite((json) => {
      const sealed = Buffer.from(json.sealed, 'base64');
      sealed[40] = (sealed[40] ?? 0) ^ 0x01;
      json.sealed = sealed.toString('base64');
    });
    await expect(store.load(PASS)).rejects.toMatchObject({ code: 'passphrase_invalid' });
  });

  it('an altered salt or limit is passphrase_invalid (they derive the key and are bound into the AD)', async () => {
    rewrite((json) => { json.kdf.opslimit += 1; });
    await expect(store.load(PASS)).rejects.toMatchObject({ code: 'passphrase_invalid' });
  });

  // Damage to the structure is detectable without the passphrase, so it is named as such.
  it('a file that is not a well-formed key file is integrity_error', async () => {
    const original = fs.readFileSync(file, 'utf8');
    const broken = [
      original.slice(0, 20) + original.slice(21),
      original.replace('valetkey-key-file', 'valetkey-key-filf'),
      original.replace('"v": 1', '"v": 2'),
      original.replace('argon2id13', 'argon2i13'),
    ];
    for (const text of broken) {
      fs.writeFileSync(file, text);
      await expect(store.load(PASS)).rejects.toMatchObject({ code: 'integrity_error' });
    }
  });

  it('refuses planted parameters that would exhaust memory or time, before deriving anything', async () => {
    rewrite((json) => { json.kdf.memlimit = 8 * 1024 ** 3; });
    await expect(store.load(PASS)).rejects.toMatchObject({ code: 'integrity_error' });
    rewrite((json) => { json.kdf.memlimit = sodium().crypto_pwhash_MEMLIMIT_INTERACTIVE; json.kdf.opslimit = 1e6; });
    await expect(store.load(PASS)).rejects.toMatchObject({ code: 'integrity_error' });
  });

  it('error messages never contain the passphrase', async () => {
    const error = await store.load('wrong passphrase 123').catch((e: unknown) => e);
    expect(String((error as Error).message)).not.toContain('wrong passphrase 123');
  });
});
