/**
 * docs/security.md attack 49: the data directory is 0700 and every file in it 0600, checked at
 * start: what is ours but open to others is closed; a symbolic link or another user's file is
 * refused with data_dir_unsafe, and nothing is opened.
 */
import { chmodSync, chownSync, existsSync, lstatSync, mkdirSync, readdirSync, renameSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sodium from 'libsodium-wrappers-sumo';
import { afterEach, describe, expect, it } from 'vitest';
import { loadSodium } from '../../src/core/crypto/sodium.js';
import { Engine } from '../../src/core/engine.js';
import { initEngine } from '../../src/core/engine-init.js';
import { PassphraseFileKeyStore } from '../../src/core/keys/passphrase-file-key-store.js';
import { TEST_PASSPHRASE } from '../helpers/engine-fixture.js';
import { tempHome } from '../helpers/temp-home.js';

const homes: { cleanup(): void }[] = [];
afterEach(() => {
  for (const h of homes.splice(0)) h.cleanup();
});

const keyStore = (dir: string) => () =>
  new PassphraseFileKeyStore(join(dir, 'keys.vkkey'), { opslimit: sodium.crypto_pwhash_OPSLIMIT_INTERACTIVE, memlimit: sodium.crypto_pwhash_MEMLIMIT_INTERACTIVE });

/** An initialised data directory (created under a umask that would leave files 0644). */
async function initialised(): Promise<string> {
  await loadSodium();
  const home = tempHome('vk-dd-');
  homes.push(home);
  const dir = join(home.dir, 'data');
  const old = process.umask(0o022);
  try {
    await initEngine({ dataDir: dir, adminPassphrase: TEST_PASSPHRASE, keyStorage: 'key_file', keyStore: keyStore(dir) });
  } finally {
    process.umask(old);
  }
  return dir;
}

function modes(dir: string): Record<string, string> {
  const out: Record<string, string> = { '.': (lstatSync(dir).mode & 0o777).toString(8) };
  for (const name of readdirSync(dir, { recursive: true }) as string[]) out[name] = (lstatSync(join(dir, name)).mode & 0o777).toString(8);
  return out;
}

async function open(dir: string): Promise<Engine> {
  return Engine.open({ dataDir: dir, keyStore: keyStore(dir)() });
}

describe('the data directory (49)', () => {
  it('attack 49: a fresh data directory is 0700 and every file in it 0600, the database and its WAL included, whatever the umask', async () => {
    const dir = await initialised();
    const old = process.umask(0o022);
    try {
      const engine = await open(dir);
      await engine.close();
    } finally {
      process.umask(old);
    }
    const seen = modes(dir);
    expect(Object.keys(seen)).toEqual(expect.arrayContaining(['valetkey.db', 'keys.vkkey']));
    for (const [name, mode] of Object.entries(seen)) {
      const isDir = lstatSync(join(dir, name)).isDirectory();
      expect([name, mode]).toEqual([name, isDir ? '700' : '600']);
    }
  });

  it('attack 49: an existing data directory open to others (0755, files 0644) is closed at start', async () => {
    const dir = await initialised();
    chmodSync(dir, 0o755);
    for (const name of readdirSync(dir)) chmodSync(join(dir, name), 0o644);
    mkdirSync(join(dir, 'stray'), { mode: 0o755 });
    chmodSync(join(dir, 'stray'), 0o755);
    const engine = await open(dir);
    await engine.close();
    for (const [name, mode] of Object.entries(modes(dir))) expect([name, Number.parseInt(mode, 8) & 0o077]).toEqual([name, 0]);
  });

  it('attack 49: a data directory that is a symbolic link, or holds one, is refused with data_dir_unsafe; nothing is opened', async () => {
    const dir = await initialised();
    const real = `${dir}-real`;
    renameSync(dir, real);
    symlinkSync(real, dir);
    await expect(open(dir)).rejects.toMatchObject({ code: 'data_dir_unsafe', status: 500 });
    // A link planted inside, where the engine would write.
    const inside = await initialised();
    writeFileSync(join(inside, '..', 'elsewhere.json'), '{}');
    symlinkSync(join(inside, '..', 'elsewhere.json'), join(inside, 'admin.json'));
    const e = await open(inside).catch((x: unknown) => x);
    expect(e).toMatchObject({ code: 'data_dir_unsafe' });
    expect(String((e as Error).message)).toContain('admin.json is a symbolic link');
  });

  it.skipIf(process.getuid?.() !== 0)('attack 49: a file in it owned by another user is refused, not taken over', async () => {
    const dir = await initialised();
    const planted = join(dir, 'discovery.json');
    writeFileSync(planted, '{}', { mode: 0o644 });
    chownSync(planted, 65534, 65534);
    const e = await open(dir).catch((x: unknown) => x);
    expect(e).toMatchObject({ code: 'data_dir_unsafe' });
    expect(String((e as Error).message)).toContain('owned by uid 65534');
    expect(lstatSync(planted).mode & 0o777).toBe(0o644);
    expect(existsSync(planted)).toBe(true);
  });
});
