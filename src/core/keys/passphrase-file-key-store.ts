/**
 * Keys in a passphrase-protected file, for machines without an OS keychain (a bare server).
 * Chosen explicitly (`valetkey init --key-file`), never as a silent fallback (docs/design.md §2).
 *
 * File (JSON, mode 0600): { format: 'valetkey-key-file', v: 1,
 *   kdf: { alg: 'argon2id13', opslimit, memlimit, salt }, sealed } — binary fields in base64.
 * Parameters are read back from the file, so a later version can raise them on `replace`.
 */
import fs from 'node:fs';
import { VkError } from '../../shared/errors.js';
import { fromBase64 } from './base64.js';
import { removeFileDurably, writeFileAtomic } from '../fs/atomic-file.js';
import type { EngineKeys, KeyStore } from './key-store.js';
import { moderateLimits, newKdfParams, openKeys, parseKdfParams, sealKeys, type KdfLimits, type KdfParams } from './passphrase-seal.js';
import { checkPassphraseStrength } from './passphrase-strength.js';

const FORMAT = 'valetkey-key-file';
const VERSION = 1;
/** Bound into the AEAD's associated data, so a sealed blob from another format (a recovery kit) cannot pose as a key file. */
const LABEL = [FORMAT, VERSION] as const;
/** A real key file is well under 1 KiB; anything huge is not ours. */
const MAX_FILE_BYTES = 64 * 1024;

interface KeyFile {
  readonly format: typeof FORMAT;
  readonly v: typeof VERSION;
  readonly kdf: KdfParams;
  readonly sealed: string;
}

export interface PassphraseFileKeyStoreOptions {
  /** Argon2id limits for files this store writes; default MODERATE. Tests pass INTERACTIVE for speed. */
  readonly opslimit?: number;
  readonly memlimit?: number;
}

export class PassphraseFileKeyStore implements KeyStore {
  readonly kind = 'key_file' as const;
  readonly #file: string;
  readonly #options: PassphraseFileKeyStoreOptions;

  constructor(file: string, options: PassphraseFileKeyStoreOptions = {}) {
    this.#file = file;
    this.#options = options;
  }

  async exists(): Promise<boolean> {
    return fs.existsSync(this.#file);
  }

  async create(keys: EngineKeys, passphrase?: string): Promise<void> {
    try {
      this.#write(keys, passphrase, false);
    } catch (e) {
      if (errnoCode(e) === 'EEXIST') throw new VkError('already_initialized');
      throw e;
    }
  }

  async load(passphrase?: string): Promise<EngineKeys> {
    const file = this.#read();
    if (passphrase === undefined) throw new VkError('passphrase_invalid');
    const keys = openKeys(file.sealed, passphrase, file.kdf, LABEL);
    // The AEAD cannot tell a wrong passphrase from an altered ciphertext; the person's next step is the same: retry, then restore.
    if (keys === undefined) throw new VkError('passphrase_invalid');
    return keys;
  }

  async replace(keys: EngineKeys, passphrase?: string): Promise<void> {
    this.#write(keys, passphrase, true);
  }

  async destroy(): Promise<void> {
    removeFileDurably(this.#file);
  }

  #write(keys: EngineKeys, passphrase: string | undefined, overwrite: boolean): void {
    checkPassphraseStrength(passphrase ?? '');
    const kdf = newKdfParams(this.#limits());
    const body: KeyFile = { format: FORMAT, v: VERSION, kdf, sealed: sealKeys(keys, passphrase ?? '', kdf, LABEL) };
    writeFileAtomic(this.#file, `${JSON.stringify(body, null, 2)}\n`, { overwrite });
  }

  #limits(): KdfLimits {
    const moderate = moderateLimits();
    return { opslimit: this.#options.opslimit ?? moderate.opslimit, memlimit: this.#options.memlimit ?? moderate.memlimit };
  }

  /** The parsed file: missing → key_missing; not a well-formed key file → integrity_error. */
  #read(): KeyFile {
    let text: string;
    try {
      text = fs.readFileSync(this.#file, 'utf8');
    } catch (e) {
      if (errnoCode(e) === 'ENOENT') throw new VkError('key_missing');
      throw e;
    }
    const file = text.length <= MAX_FILE_BYTES ? parseKeyFile(text) : undefined;
    if (file === undefined) throw new VkError('integrity_error');
    return file;
  }
}

function parseKeyFile(text: string): KeyFile | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const { format, v, kdf, sealed } = value as Record<string, unknown>;
  const params = parseKdfParams(kdf);
  if (format !== FORMAT || v !== VERSION || params === undefined) return undefined;
  if (typeof sealed !== 'string' || fromBase64(sealed) === undefined) return undefined;
  return { format, v, kdf: params, sealed };
}

function errnoCode(e: unknown): string | undefined {
  return typeof e === 'object' && e !== null && 'code' in e && typeof e.code === 'string' ? e.code : undefined;
}
