/**
 * Settings that belong to the desktop shell, not to the engine: when to lock on idle, sleep and
 * screen lock, whether to start at login, whether grants need Touch ID. They live in a small JSON
 * file next to Electron's own profile (or in VALETKEY_HOME when set, so tests and second installs
 * stay apart) and are changed from the tray's Settings submenu.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { writeFileAtomic } from '../core/fs/atomic-file.js';

export interface DesktopSettings {
  /** Lock after this many minutes without keyboard or mouse input; 0 = never. */
  readonly autoLockMinutes: number;
  readonly lockOnSuspend: boolean;
  readonly lockOnScreenLock: boolean;
  readonly launchAtLogin: boolean;
  /** macOS only: every grant-class action from the app also needs Touch ID. */
  readonly requireTouchIdForGrants: boolean;
}

/** The choices the tray offers; a hand-edited file may hold any whole number up to a day. */
export const AUTO_LOCK_CHOICES = [0, 5, 15, 30, 60] as const;
const MAX_AUTO_LOCK_MINUTES = 24 * 60;

export const DEFAULT_DESKTOP_SETTINGS: DesktopSettings = Object.freeze({
  autoLockMinutes: 15,
  lockOnSuspend: true,
  lockOnScreenLock: true,
  launchAtLogin: false,
  requireTouchIdForGrants: false,
});

/** Whatever the file holds, a complete settings object: unknown keys dropped, bad values defaulted. */
export function parseDesktopSettings(raw: unknown): DesktopSettings {
  const source = typeof raw === 'object' && raw !== null && !Array.isArray(raw) ? (raw as Record<string, unknown>) : {};
  const flag = (key: keyof DesktopSettings): boolean => {
    const value = source[key];
    return typeof value === 'boolean' ? value : (DEFAULT_DESKTOP_SETTINGS[key] as boolean);
  };
  const minutes = source['autoLockMinutes'];
  const validMinutes = typeof minutes === 'number' && Number.isInteger(minutes) && minutes >= 0 && minutes <= MAX_AUTO_LOCK_MINUTES;
  return {
    autoLockMinutes: validMinutes ? minutes : DEFAULT_DESKTOP_SETTINGS.autoLockMinutes,
    lockOnSuspend: flag('lockOnSuspend'),
    lockOnScreenLock: flag('lockOnScreenLock'),
    launchAtLogin: flag('launchAtLogin'),
    requireTouchIdForGrants: flag('requireTouchIdForGrants'),
  };
}

/**
 * True when `next` protects less than `current`: a longer or disabled idle lock, a lock trigger
 * turned off, or Touch ID no longer required. Such a change needs the same proof as a grant.
 */
export function loosensSettings(current: DesktopSettings, next: DesktopSettings): boolean {
  const idleLonger =
    current.autoLockMinutes !== 0 && (next.autoLockMinutes === 0 || next.autoLockMinutes > current.autoLockMinutes);
  return (
    idleLonger ||
    (current.lockOnSuspend && !next.lockOnSuspend) ||
    (current.lockOnScreenLock && !next.lockOnScreenLock) ||
    (current.requireTouchIdForGrants && !next.requireTouchIdForGrants)
  );
}

export function desktopSettingsPath(options: { readonly valetkeyHome: string | undefined; readonly userData: string }): string {
  const home = options.valetkeyHome === undefined || options.valetkeyHome === '' ? undefined : options.valetkeyHome;
  return home === undefined ? join(options.userData, 'desktop-settings.json') : join(home, 'desktop-settings.json');
}

/** A missing or unreadable file means defaults: the shell must start even if the file is damaged. */
export function loadDesktopSettings(file: string): DesktopSettings {
  try {
    return parseDesktopSettings(JSON.parse(readFileSync(file, 'utf8')));
  } catch {
    return DEFAULT_DESKTOP_SETTINGS;
  }
}

/** Written whole to a temporary file and renamed over the old one, so a crash leaves one or the other. */
export function saveDesktopSettings(file: string, settings: DesktopSettings): void {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  writeFileAtomic(file, `${JSON.stringify(parseDesktopSettings(settings), null, 2)}\n`, { overwrite: true });
}
