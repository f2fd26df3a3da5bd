/**
 * The keychain binding as the CLI and engine load it (src/core/keys/native-keyring.ts): on glibc
 * Linux straight from the platform package, which must be the very object the library's own
 * loader exports, so skipping that loader changes nothing but start-up time.
 */
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { nativeKeyring } from '../../../src/core/keys/native-keyring.js';

type Keyring = typeof import('@napi-rs/keyring');

const require = createRequire(import.meta.url);
const ROOT = join(import.meta.dirname, '..', '..', '..');

/** Which keyring modules a fresh process has loaded once nativeKeyring() returned. */
function modulesLoadedBy(env: NodeJS.ProcessEnv): string[] {
  const source = pathToFileURL(join(ROOT, 'src', 'core', 'keys', 'native-keyring.ts')).href;
  const script = `import { createRequire } from 'node:module'; import { nativeKeyring } from '${source}';
    nativeKeyring(); console.log(JSON.stringify(Object.keys(createRequire(import.meta.url).cache).filter((f) => f.includes('keyring'))));`;
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: ROOT, env, encoding: 'utf8' });
  expect(r.stderr).toBe('');
  return JSON.parse(r.stdout) as string[];
}

const isLoader = (file: string): boolean => file.endsWith(join('@napi-rs', 'keyring', 'index.js'));

describe('nativeKeyring', () => {
  it('is the binding the @napi-rs/keyring loader exports', () => {
    const viaLoader = require('@napi-rs/keyring') as Keyring;
    expect(nativeKeyring().AsyncEntry).toBe(viaLoader.AsyncEntry);
    expect(nativeKeyring().Entry).toBe(viaLoader.Entry);
  });

  it.runIf(process.platform === 'linux')('loads the platform package without the loader on glibc Linux, and the loader when told to', () => {
    const direct = modulesLoadedBy(process.env);
    expect(direct.some((f) => f.endsWith('.node'))).toBe(true);
    expect(direct.some(isLoader)).toBe(false);
    // An explicit NAPI_RS_NATIVE_LIBRARY_PATH is the loader's business: it is honoured through it.
    const binary = require.resolve(`@napi-rs/keyring-linux-${process.arch}-gnu`);
    expect(modulesLoadedBy({ ...process.env, NAPI_RS_NATIVE_LIBRARY_PATH: binary }).some(isLoader)).toBe(true);
  });
});
