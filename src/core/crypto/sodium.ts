/**
 * libsodium, loaded once. The sumo build is used because the standard one lacks
 * `crypto_pwhash` (Argon2id), which the key file, recovery kit and admin passphrase need.
 */
import sodiumModule from 'libsodium-wrappers-sumo';

let ready: Promise<typeof sodiumModule> | undefined;

/** Resolve to the initialised libsodium; call once at start-up, then use `sodium()`. */
export function loadSodium(): Promise<typeof sodiumModule> {
  ready ??= sodiumModule.ready.then(() => sodiumModule);
  return ready;
}

let loaded: typeof sodiumModule | undefined;

/** The initialised libsodium. Throws if `loadSodium()` has not finished: a bug, not a user error. */
export function sodium(): typeof sodiumModule {
  if (loaded) return loaded;
  // libsodium-wrappers sets its functions on the module object once `ready` resolves.
  if (typeof (sodiumModule as { crypto_aead_xchacha20poly1305_ietf_encrypt?: unknown }).crypto_aead_xchacha20poly1305_ietf_encrypt !== 'function') {
    throw new Error('libsodium used before loadSodium() resolved');
  }
  loaded = sodiumModule;
  return loaded;
}
