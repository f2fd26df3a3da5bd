/**
 * @napi-rs/keyring, loaded on first use and through require: importing the CommonJS package as
 * an ES module makes Node scan its source for exports first (~20 ms), and a process that never
 * touches the keychain (a file-kept agent key, a key-file engine) should not load it at all.
 */
import { createRequire } from 'node:module';

type Keyring = typeof import('@napi-rs/keyring');

let loaded: Keyring | undefined;

export function nativeKeyring(): Keyring {
  if (loaded === undefined) {
    const require = createRequire(import.meta.url);
    loaded = linuxGnuBinding(require) ?? (require('@napi-rs/keyring') as Keyring);
  }
  return loaded;
}

/**
 * On glibc Linux, the platform package the library's loader would pick (the same object it
 * exports). Its loader costs ~2 ms more on each CLI start: it compiles every platform's branch and
 * reads /usr/bin/ldd to tell musl from glibc. Anything unusual (musl, an override, a package
 * missing or not loadable) is left to that loader.
 */
function linuxGnuBinding(require: NodeJS.Require): Keyring | undefined {
  if (process.platform !== 'linux' || process.env['NAPI_RS_NATIVE_LIBRARY_PATH'] !== undefined) return undefined;
  try {
    return require(`@napi-rs/keyring-linux-${process.arch}-gnu`) as Keyring;
  } catch {
    return undefined;
  }
}
