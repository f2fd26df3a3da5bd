/**
 * Where an agent keeps its key and token between runs, behind one small interface: the SDK's
 * optional key file (here), the `valetkey` CLI's OS keychain and its 0600-file fallback. The key
 * file holds the private key and the token in a 0600 JSON file, so an agent that runs again (a
 * cron job, a long-lived bot) keeps its identity instead of enrolling anew; without a store the
 * key lives only in this process's memory. A key file that others can read is refused: it is as
 * good as the token.
 */
import { chmodSync, existsSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import type { PrivateJwk } from './dpop-key.js';
import { makeError } from './errors.js';

export interface StoredToken {
  readonly accessToken: string;
  readonly tokenType: 'DPoP' | 'Bearer';
  /** Milliseconds since the epoch. */
  readonly expiresAt: number;
  readonly scope: string;
}

export interface KeyFileContents {
  readonly version: 1;
  readonly key: PrivateJwk;
  readonly token?: StoredToken;
}

/** A place for an agent's secrets; `T` is what the store keeps (its format is the store's own). */
export interface SecretStore<T> {
  load(): Promise<T | undefined>;
  save(value: T): Promise<void>;
  forget(): Promise<void>;
}

export class KeyFileStore implements SecretStore<KeyFileContents> {
  constructor(readonly file: string) {}

  async load(): Promise<KeyFileContents | undefined> {
    return readKeyFile(this.file);
  }

  async save(value: KeyFileContents): Promise<void> {
    writeKeyFile(this.file, value);
  }

  async forget(): Promise<void> {
    rmSync(this.file, { force: true });
  }
}

export function readKeyFile(file: string): KeyFileContents | undefined {
  if (!existsSync(file)) return undefined;
  if (process.platform !== 'win32' && (statSync(file).mode & 0o077) !== 0) {
    throw makeError('insecure_key_file', `The key file ${file} can be read by other users. Run chmod 600 on it, or delete it to enroll again.`);
  }
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<KeyFileContents>;
    if (parsed.version !== 1 || typeof parsed.key !== 'object' || parsed.key === null) throw new Error('shape');
    return parsed as KeyFileContents;
  } catch {
    throw makeError('invalid_key_file', `The key file ${file} is damaged. Delete it to enroll again.`);
  }
}

/** Temp file (0600) then rename, so a crash never leaves half a key. */
export function writeKeyFile(file: string, contents: KeyFileContents): void {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(contents)}\n`, { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, file);
}
