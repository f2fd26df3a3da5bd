/** A real temp directory per test, removed afterwards. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export function makeTempDir(prefix = 'vk-keys-'): { readonly dir: string; readonly cleanup: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  return { dir, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** Every form a 32-byte key could take if it leaked into a file: raw, hex, base64, base64url. */
export function keyForms(key: Uint8Array): readonly Buffer[] {
  const b = Buffer.from(key);
  return [b, Buffer.from(b.toString('hex')), Buffer.from(b.toString('base64').replace(/=+$/, '')), Buffer.from(b.toString('base64url'))];
}

/** All regular files under `dir`, recursively. */
export function listFiles(dir: string): readonly string[] {
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => path.join(d.parentPath, d.name));
}
