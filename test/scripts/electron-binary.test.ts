import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { electronBinary, electronPackageDir } from '../../scripts/electron-binary.mjs';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'vk-electron-bin-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function fakeBinary(relative: string): string {
  const path = join(dir, 'dist', relative);
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, '#!/bin/sh\n');
  chmodSync(path, 0o755);
  return path;
}

describe('electronBinary', () => {
  it('returns the executable named by path.txt inside dist/', () => {
    writeFileSync(join(dir, 'path.txt'), 'electron');
    const binary = fakeBinary('electron');
    expect(electronBinary(dir, {})).toBe(binary);
  });

  it('handles the macOS layout', () => {
    const relative = 'Electron.app/Contents/MacOS/Electron';
    writeFileSync(join(dir, 'path.txt'), relative);
    const binary = fakeBinary(relative);
    expect(electronBinary(dir, {})).toBe(binary);
  });

  it('honours ELECTRON_OVERRIDE_DIST_PATH', () => {
    writeFileSync(join(dir, 'path.txt'), 'electron');
    const override = join(dir, 'elsewhere');
    mkdirSync(override);
    writeFileSync(join(override, 'electron'), '');
    expect(electronBinary(dir, { ELECTRON_OVERRIDE_DIST_PATH: override })).toBe(join(override, 'electron'));
  });

  it('says why when path.txt is missing', () => {
    expect(electronBinary(dir, {})).toEqual({ missing: expect.stringContaining('path.txt') });
  });

  it('says why when path.txt names a file that is not there', () => {
    writeFileSync(join(dir, 'path.txt'), 'electron');
    expect(electronBinary(dir, {})).toEqual({ missing: expect.stringContaining(join(dir, 'dist', 'electron')) });
  });

  it('says why when the package is not installed', () => {
    expect(electronBinary(null, {})).toEqual({ missing: 'the electron package is not installed' });
  });

  it('agrees with the installed electron package on this machine', () => {
    const packageDir = electronPackageDir();
    expect(packageDir).toBeDefined();
    const pathFile = join(packageDir as string, 'path.txt');
    const present = existsSync(pathFile) && existsSync(join(packageDir as string, 'dist', readFileSync(pathFile, 'utf8').trim()));
    const result = electronBinary();
    expect(typeof result === 'string').toBe(present);
  });
});
