/**
 * Engine keys sealed under a passphrase: Argon2id (libsodium crypto_pwhash) turns the passphrase
 * and a random salt into a key, and XChaCha20-Poly1305 seals master ‖ signing with it. Shared by
 * the key file and the recovery kit; the KDF parameters travel with the ciphertext (docs/security.md,
 * storage crypto) and are also bound into its associated data.
 */
import { associatedData, open, seal } from '../crypto/aead.js';
import { ARGON2ID_LIMITS as L, argon2idDerive } from '../crypto/argon2id.js';
import { randomFillSync } from 'node:crypto';
import { asMasterKey, asSigningSeed, KEY_BYTES, wipe } from '../crypto/types.js';
import { fromBase64, toBase64 } from './base64.js';
import type { EngineKeys } from './key-store.js';
import { passphraseBytes } from './passphrase-strength.js';

export interface KdfLimits {
  readonly opslimit: number;
  readonly memlimit: number;
}

export interface KdfParams extends KdfLimits {
  readonly alg: 'argon2id13';
  /** base64 of crypto_pwhash_SALTBYTES random bytes */
  readonly salt: string;
}

const SALT_BYTES = 16;
/** Upper bounds on parameters read from a file: a planted file must not make us spin or allocate without end. */
const MAX_OPSLIMIT = 32;

export function moderateLimits(): KdfLimits {
  return { opslimit: L.OPSLIMIT_MODERATE, memlimit: L.MEMLIMIT_MODERATE };
}

/** INTERACTIVE is the floor (weaker would make a stolen file cheap to guess); SENSITIVE memory is the ceiling. */
export function limitsAreAcceptable(limits: KdfLimits): boolean {
  const { opslimit, memlimit } = limits;
  return (
    Number.isSafeInteger(opslimit) && Number.isSafeInteger(memlimit) &&
    opslimit >= L.OPSLIMIT_INTERACTIVE && opslimit <= MAX_OPSLIMIT &&
    memlimit >= L.MEMLIMIT_INTERACTIVE && memlimit <= L.MEMLIMIT_SENSITIVE
  );
}

/** Fresh parameters with a new random salt. Out-of-range limits are a caller bug. */
export function newKdfParams(limits: KdfLimits): KdfParams {
  if (!limitsAreAcceptable(limits)) throw new Error('Argon2id limits out of the accepted range');
  const salt = toBase64(randomFillSync(new Uint8Array(SALT_BYTES)));
  return { alg: 'argon2id13', opslimit: limits.opslimit, memlimit: limits.memlimit, salt };
}

/** KDF parameters read from stored JSON, or undefined when anything is off. */
export function parseKdfParams(value: unknown): KdfParams | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { alg, opslimit, memlimit, salt } = value as Record<string, unknown>;
  if (alg !== 'argon2id13' || typeof opslimit !== 'number' || typeof memlimit !== 'number' || typeof salt !== 'string') return undefined;
  if (!limitsAreAcceptable({ opslimit, memlimit }) || fromBase64(salt)?.length !== SALT_BYTES) return undefined;
  return { alg, opslimit, memlimit, salt };
}

/** Argon2id of the passphrase under validated parameters (on a worker thread: argon2id.ts); the caller wipes the key. */
export function derivePassphraseKey(passphrase: string, kdf: KdfParams): Uint8Array {
  const password = passphraseBytes(passphrase);
  const salt = fromBase64(kdf.salt);
  if (salt === undefined) throw new Error('salt was not validated');
  try {
    return argon2idDerive({ password, salt, bytes: KEY_BYTES, opslimit: kdf.opslimit, memlimit: kdf.memlimit });
  } finally {
    wipe(password);
  }
}

function kdfAssociatedData(label: readonly (string | number)[], kdf: KdfParams): Uint8Array {
  return associatedData(...label, kdf.alg, kdf.opslimit, kdf.memlimit, kdf.salt);
}

/** Seal both keys; returns base64 of nonce ‖ ciphertext. `label` names the format and its version. */
export function sealKeys(keys: EngineKeys, passphrase: string, kdf: KdfParams, label: readonly (string | number)[]): string {
  const key = derivePassphraseKey(passphrase, kdf);
  const plain = new Uint8Array(2 * KEY_BYTES);
  try {
    plain.set(keys.master, 0);
    plain.set(keys.signing, KEY_BYTES);
    return toBase64(seal(key, plain, kdfAssociatedData(label, kdf)));
  } finally {
    wipe(plain);
    wipe(key);
  }
}

/**
 * Open what `sealKeys` made; undefined when the AEAD refuses. A wrong passphrase and an altered
 * ciphertext are indistinguishable here by design: both just fail the Poly1305 tag.
 */
export function openKeys(sealedB64: string, passphrase: string, kdf: KdfParams, label: readonly (string | number)[]): EngineKeys | undefined {
  const sealed = fromBase64(sealedB64);
  if (sealed === undefined) return undefined;
  const key = derivePassphraseKey(passphrase, kdf);
  let plain: Uint8Array | undefined;
  try {
    plain = open(key, sealed, kdfAssociatedData(label, kdf));
  } catch {
    return undefined;
  } finally {
    wipe(key);
  }
  try {
    if (plain.length !== 2 * KEY_BYTES) return undefined;
    return { master: asMasterKey(plain.slice(0, KEY_BYTES)), signing: asSigningSeed(plain.slice(KEY_BYTES)) };
  } finally {
    wipe(plain);
  }
}
