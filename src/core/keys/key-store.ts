/**
 * The engine's two long-lived keys and the role that keeps them at rest (docs/design.md §2).
 * Implementations name the means: `KeychainKeyStore` (the OS keychain, the default) and
 * `PassphraseFileKeyStore` (an Argon2id-protected file, chosen explicitly where no keychain exists).
 */
import type { KeyStorageKind } from '../../shared/model.js';
import { randomFillSync } from 'node:crypto';
import { asMasterKey, asSigningSeed, KEY_BYTES, wipe, type MasterKey, type SigningSeed } from '../crypto/types.js';
import type { MarkSlot } from '../integrity/high-water-mark.js';

export interface EngineKeys {
  readonly master: MasterKey;
  readonly signing: SigningSeed;
}

/** Fresh random keys, from the OS CSPRNG. */
export function generateEngineKeys(): EngineKeys {
  return { master: asMasterKey(randomFillSync(new Uint8Array(KEY_BYTES))), signing: asSigningSeed(randomFillSync(new Uint8Array(KEY_BYTES))) };
}

/** Overwrite both keys, for when the engine locks or a copy is no longer needed. */
export function wipeEngineKeys(keys: EngineKeys): void {
  wipe(keys.master);
  wipe(keys.signing);
}

export interface KeyStore {
  readonly kind: KeyStorageKind;
  readonly mark?: MarkSlot;
  exists(): Promise<boolean>;
  /** Store fresh keys; refuses (`already_initialized`) to overwrite keys already there. key_file needs the passphrase that will protect the file. */
  create(keys: EngineKeys, passphrase?: string): Promise<void>;
  /** key_file: passphrase required (passphrase_invalid when wrong). keychain: passphrase ignored. */
  load(passphrase?: string): Promise<EngineKeys>;
  /** Replace the stored keys (recovery restore). */
  replace(keys: EngineKeys, passphrase?: string): Promise<void>;
  destroy(): Promise<void>;
}
