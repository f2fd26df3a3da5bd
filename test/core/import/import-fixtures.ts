/**
 * The fixture files of test/fixtures/import, and the archives and databases built from them the
 * way each product writes them: 1PUX and Proton Pass exports are zips, KDBX 4 is made by kdbxweb
 * from the KeePass XML fixture and saved with the KDF asked for.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { zipSync } from 'fflate';
import kdbxweb from 'kdbxweb';
import { afterAll, beforeAll } from 'vitest';
import { openTestEngine, type TestEngine } from '../../helpers/engine-fixture.js';
import { installKdbxArgon2 } from '../../../src/core/import/kdbx-argon2.js';

export const FIXTURES = join(import.meta.dirname, '..', '..', 'fixtures', 'import');

export function fixture(name: string): Uint8Array {
  return new Uint8Array(readFileSync(join(FIXTURES, name)));
}

export function fixtureText(name: string): string {
  return readFileSync(join(FIXTURES, name), 'utf8');
}

export function onePux(data: Uint8Array = fixture('1password-1pux/export.data')): Uint8Array {
  return zipSync({ 'export.attributes': fixture('1password-1pux/export.attributes'), 'export.data': data, files: {} });
}

export function protonZip(data: Uint8Array = fixture('proton-pass/Proton Pass/data.json')): Uint8Array {
  return zipSync({ 'Proton Pass': { 'data.json': data } });
}

export const KDBX_PASSWORD = 'kdbx pässword ✓';

export type KdfChoice = 'argon2id' | 'argon2d' | 'aes';

/** The KeePass XML fixture saved as a KDBX 4 database under KDBX_PASSWORD. */
export async function kdbx4(kdf: KdfChoice = 'argon2id'): Promise<Uint8Array> {
  installKdbxArgon2();
  const credentials = new kdbxweb.KdbxCredentials(kdbxweb.ProtectedValue.fromString(KDBX_PASSWORD));
  const db = await kdbxweb.Kdbx.loadXml(fixtureText('keepass.xml'), credentials);
  db.setVersion(4);
  db.setKdf(kdf === 'argon2id' ? kdbxweb.Consts.KdfId.Argon2id : kdf === 'argon2d' ? kdbxweb.Consts.KdfId.Argon2d : kdbxweb.Consts.KdfId.Aes);
  return new Uint8Array(await db.save());
}

/** A temp directory with helpers to write files into it. */
export function tempFiles(): { dir: string; write(name: string, data: Uint8Array | string): string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'vk-imp-'));
  return {
    dir,
    write: (name, data) => {
      const path = join(dir, name);
      writeFileSync(path, data);
      return path;
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** A real engine and a temp directory for one test file, opened before its tests and closed after. */
export function engineWithFiles(): { readonly t: TestEngine; readonly files: ReturnType<typeof tempFiles> } {
  let t: TestEngine | undefined;
  let files: ReturnType<typeof tempFiles> | undefined;
  beforeAll(async () => {
    t = await openTestEngine();
    files = tempFiles();
  });
  afterAll(async () => {
    await t?.close();
    files?.cleanup();
  });
  const opened = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('used outside a test');
    return value;
  };
  return {
    get t() {
      return opened(t);
    },
    get files() {
      return opened(files);
    },
  };
}
