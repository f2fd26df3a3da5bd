/**
 * Where the Electron executable is, or why there is none. Mirrors what the `electron` package's
 * own index.js does (path.txt names the executable inside dist/), minus its habit of trying to
 * download the binary when it is missing.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** The installed electron package's folder, or undefined when the package is not installed. */
export function electronPackageDir() {
  try {
    return dirname(createRequire(import.meta.url).resolve('electron/package.json'));
  } catch {
    return undefined;
  }
}

/**
 * @param {string | null | undefined} packageDir the electron package folder (default: the installed
 *   one; null: not installed)
 * @param {NodeJS.ProcessEnv} env for ELECTRON_OVERRIDE_DIST_PATH
 * @returns {string | { missing: string }}
 */
export function electronBinary(packageDir = electronPackageDir(), env = process.env) {
  if (packageDir === undefined || packageDir === null) return { missing: 'the electron package is not installed' };
  const pathFile = join(packageDir, 'path.txt');
  if (!existsSync(pathFile)) {
    return { missing: 'the electron package was installed without its binary, path.txt is missing' };
  }
  const executable = readFileSync(pathFile, 'utf8').trim();
  if (executable === '') return { missing: 'electron/path.txt is empty' };
  const override = env.ELECTRON_OVERRIDE_DIST_PATH;
  const binary = override ? join(override, executable) : join(packageDir, 'dist', executable);
  return existsSync(binary) ? binary : { missing: `${binary} does not exist` };
}
