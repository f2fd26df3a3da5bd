/**
 * @napi-rs/keyring, loaded on first use and through require: importing the CommonJS package as
 * an ES module makes Node scan its source for exports first (~20 ms), and a process that never
 * touches the keychain (a file-kept agent key, a key-file engine) should not load it at all.
 */
import { createRequire } from 'node:module';

type Keyring = typeof import('@napi-rs/keyring');

let loaded: Keyring | undefined;

export function nativeKeyring(): Keyring {
  loaded ??= createRequire(import.meta.url)('@napi-rs/keyring') as Keyring;
  return loaded;
}
