/**
 * Secrets have types. A key is a `Uint8Array` with a brand, so a vault key
 * cannot be passed where the master key is expected, and a sealed value is never a `string`.
 */
declare const brand: unique symbol;
type Brand<T, B extends string> = T & { readonly [brand]: B };

/** 32-byte key that wraps vault keys. Lives in the keychain or the key file; in memory only while unlocked. */
export type MasterKey = Brand<Uint8Array, 'MasterKey'>;
/** 32-byte per-vault key, stored wrapped by the master key. */
export type VaultKey = Brand<Uint8Array, 'VaultKey'>;
/** 32-byte Ed25519 seed of the engine's signing key (tokens, audit checkpoints). */
export type SigningSeed = Brand<Uint8Array, 'SigningSeed'>;
/** nonce ‖ XChaCha20-Poly1305 ciphertext ‖ tag, as stored. */
export type Sealed = Brand<Uint8Array, 'Sealed'>;

export const KEY_BYTES = 32;

export function asMasterKey(bytes: Uint8Array): MasterKey {
  if (bytes.length !== KEY_BYTES) throw new Error('master key must be 32 bytes');
  return bytes as MasterKey;
}
export function asVaultKey(bytes: Uint8Array): VaultKey {
  if (bytes.length !== KEY_BYTES) throw new Error('vault key must be 32 bytes');
  return bytes as VaultKey;
}
export function asSigningSeed(bytes: Uint8Array): SigningSeed {
  if (bytes.length !== KEY_BYTES) throw new Error('signing seed must be 32 bytes');
  return bytes as SigningSeed;
}
export function asSealed(bytes: Uint8Array): Sealed {
  return bytes as Sealed;
}

/** Overwrite key material we no longer need. JS can't promise the bytes weren't copied, but we don't keep them around. */
export function wipe(bytes: Uint8Array | undefined): void {
  bytes?.fill(0);
}
