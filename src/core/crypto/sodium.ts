/**
 * libsodium, loaded on first need (backups' secretstream; Argon2id runs it on a worker thread,
 * argon2id.ts). Importing it instantiates its WebAssembly, ~100 ms, so nothing imports it at
 * start-up. The sumo build is used because the standard one lacks `crypto_pwhash` (Argon2id).
 */
import type sodiumModule from 'libsodium-wrappers-sumo';

type Sodium = typeof sodiumModule;

let ready: Promise<Sodium> | undefined;
let loaded: Sodium | undefined;

/** Resolve to the initialised libsodium; await it before `sodium()`. */
export function loadSodium(): Promise<Sodium> {
  ready ??= import('libsodium-wrappers-sumo').then(async ({ default: s }) => {
    await s.ready;
    loaded = s;
    return s;
  });
  return ready;
}

/** The initialised libsodium. Throws if `loadSodium()` has not finished: a bug, not a user error. */
export function sodium(): Sodium {
  if (loaded === undefined) throw new Error('libsodium used before loadSodium() resolved');
  return loaded;
}
