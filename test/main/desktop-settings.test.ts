import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  DEFAULT_DESKTOP_SETTINGS,
  desktopSettingsPath,
  loadDesktopSettings,
  loosensSettings,
  parseDesktopSettings,
  saveDesktopSettings,
  type DesktopSettings,
} from '../../src/main/desktop-settings.js';

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'vk-desk-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const base: DesktopSettings = { ...DEFAULT_DESKTOP_SETTINGS, autoLockMinutes: 15, requireTouchIdForGrants: true };

describe('parseDesktopSettings', () => {
  it('fills every missing or malformed value with its default and drops unknown keys', () => {
    expect(parseDesktopSettings(undefined)).toEqual(DEFAULT_DESKTOP_SETTINGS);
    expect(parseDesktopSettings([1, 2])).toEqual(DEFAULT_DESKTOP_SETTINGS);
    const parsed = parseDesktopSettings({ autoLockMinutes: 'soon', lockOnSuspend: 'yes', launchAtLogin: true, extra: 1 });
    expect(parsed).toEqual({ ...DEFAULT_DESKTOP_SETTINGS, launchAtLogin: true });
    expect(parsed).not.toHaveProperty('extra');
  });

  it('accepts whole minutes from 0 (never) to a day, nothing else', () => {
    expect(parseDesktopSettings({ autoLockMinutes: 0 }).autoLockMinutes).toBe(0);
    expect(parseDesktopSettings({ autoLockMinutes: 1440 }).autoLockMinutes).toBe(1440);
    for (const bad of [-1, 1441, 2.5, Number.NaN, Infinity]) {
      expect(parseDesktopSettings({ autoLockMinutes: bad }).autoLockMinutes).toBe(DEFAULT_DESKTOP_SETTINGS.autoLockMinutes);
    }
  });
});

describe('loosensSettings', () => {
  it.each<[string, Partial<DesktopSettings>]>([
    ['a longer idle time', { autoLockMinutes: 30 }],
    ['no idle lock at all', { autoLockMinutes: 0 }],
    ['no lock on sleep', { lockOnSuspend: false }],
    ['no lock on screen lock', { lockOnScreenLock: false }],
    ['Touch ID no longer required', { requireTouchIdForGrants: false }],
  ])('is true for %s', (_name, change) => {
    expect(loosensSettings(base, { ...base, ...change })).toBe(true);
  });

  it.each<[string, Partial<DesktopSettings>]>([
    ['a shorter idle time', { autoLockMinutes: 5 }],
    ['the same settings', {}],
    ['start at login either way', { launchAtLogin: true }],
  ])('is false for %s', (_name, change) => {
    expect(loosensSettings(base, { ...base, ...change })).toBe(false);
  });

  it('treats turning an idle lock on, from never, as tightening', () => {
    expect(loosensSettings({ ...base, autoLockMinutes: 0 }, { ...base, autoLockMinutes: 60 })).toBe(false);
  });
});

describe('the settings file', () => {
  it('lives in VALETKEY_HOME when set, else in Electron’s userData', () => {
    expect(desktopSettingsPath({ valetkeyHome: '/data/vk', userData: '/u' })).toBe('/data/vk/desktop-settings.json');
    expect(desktopSettingsPath({ valetkeyHome: undefined, userData: '/u' })).toBe('/u/desktop-settings.json');
    expect(desktopSettingsPath({ valetkeyHome: '', userData: '/u' })).toBe('/u/desktop-settings.json');
  });

  it('round-trips through a 0600 file in a new directory', () => {
    const file = join(tempDir(), 'nested', 'desktop-settings.json');
    const settings: DesktopSettings = { autoLockMinutes: 5, lockOnSuspend: false, lockOnScreenLock: true, launchAtLogin: true, requireTouchIdForGrants: true };
    saveDesktopSettings(file, settings);
    expect(loadDesktopSettings(file)).toEqual(settings);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(settings);
  });

  it('falls back to defaults for a missing or damaged file', () => {
    const dir = tempDir();
    expect(loadDesktopSettings(join(dir, 'absent.json'))).toEqual(DEFAULT_DESKTOP_SETTINGS);
    const damaged = join(dir, 'damaged.json');
    writeFileSync(damaged, '{"autoLockMinutes": 5,');
    expect(loadDesktopSettings(damaged)).toEqual(DEFAULT_DESKTOP_SETTINGS);
  });
});
