/**
 * Start Valetkey at login, in the tray without a window. macOS and Windows have an OS setting
 * Electron manages (app.setLoginItemSettings); Linux desktops read XDG autostart entries
 * (~/.config/autostart/*.desktop, Desktop Entry Specification 1.5), written here.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { VkError } from '../shared/errors.js';

/** Passed when started at login: the app comes up in the tray only. */
export const HIDDEN_FLAG = '--hidden';
/** Marks the entry as ours, so turning the setting off never deletes someone else's file. */
const OWN_MARKER = 'X-Valetkey-Autostart=true';
const ENTRY_NAME = 'valetkey.desktop';

export interface LaunchCommand {
  readonly executable: string;
  readonly args: readonly string[];
}

/**
 * What to run at login. An AppImage's own path is in $APPIMAGE (execPath points inside its
 * temporary mount, gone after exit); a development run needs the app folder after Electron.
 */
export function launchCommand(o: { readonly execPath: string; readonly isPackaged: boolean; readonly appPath: string; readonly appImage: string | undefined }): LaunchCommand {
  if (o.appImage !== undefined && o.appImage !== '') return { executable: o.appImage, args: [HIDDEN_FLAG] };
  if (o.isPackaged) return { executable: o.execPath, args: [HIDDEN_FLAG] };
  return { executable: o.execPath, args: [o.appPath, HIDDEN_FLAG] };
}

/** The app was started at login (Linux and Windows by our flag, macOS by the OS's own report). */
export function startsHidden(argv: readonly string[], openedAtLogin: boolean): boolean {
  return openedAtLogin || argv.includes(HIDDEN_FLAG);
}

export function autostartDesktopEntry(execPath: string, args: readonly string[] = [HIDDEN_FLAG]): string {
  const exec = [execPath, ...args].map(execArgument).join(' ');
  return [
    '[Desktop Entry]',
    'Type=Application',
    'Version=1.5',
    'Name=Valetkey',
    'Comment=Scoped, expiring, audited keys to your secrets for AI agents',
    `Exec=${exec}`,
    'Icon=valetkey',
    'Terminal=false',
    'X-GNOME-Autostart-enabled=true',
    OWN_MARKER,
    '',
  ].join('\n');
}

/**
 * One Exec argument, always quoted. Inside quotes '"', '`', '$' and '\' take a backslash; then the
 * value-level escaping doubles every backslash again (so one literal backslash is written as four);
 * '%' starts a field code, so a literal one is '%%'. A line break cannot be written at all.
 */
function execArgument(arg: string): string {
  if (/[\p{Cc}]/u.test(arg)) throw new VkError('invalid_request', 'the program path holds a control character and cannot go in an autostart entry');
  const quoted = `"${arg.replace(/(["`$\\])/g, '\\$1')}"`;
  return quoted.replace(/\\/g, '\\\\').replace(/%/g, '%%');
}

/** $XDG_CONFIG_HOME/autostart, else ~/.config/autostart (XDG Base Directory). */
export function autostartPath(env: Readonly<Record<string, string | undefined>>, homeDir: string): string {
  const xdg = env['XDG_CONFIG_HOME'];
  // The spec ignores a relative XDG_CONFIG_HOME.
  const configHome = xdg !== undefined && xdg.startsWith('/') ? xdg : join(env['HOME'] || homeDir, '.config');
  return join(configHome, 'autostart', ENTRY_NAME);
}

/** Writes or removes the Linux entry. Removing leaves alone a file that is not ours. */
export function setLinuxAutostart(file: string, enabled: boolean, command: LaunchCommand): void {
  if (enabled) {
    mkdirSync(join(file, '..'), { recursive: true });
    writeFileSync(file, autostartDesktopEntry(command.executable, command.args), { mode: 0o644 });
    return;
  }
  if (isOwnAutostart(file)) rmSync(file);
}

export function isOwnAutostart(file: string): boolean {
  if (!existsSync(file)) return false;
  return readFileSync(file, 'utf8').split('\n').includes(OWN_MARKER);
}

/** Electron's login-item call, as the other platforms use it. */
export interface LoginItemPort {
  setLoginItemSettings(settings: { openAtLogin: boolean; path?: string; args?: string[] }): void;
}

export interface LaunchAtLoginDeps {
  readonly platform: NodeJS.Platform;
  readonly command: LaunchCommand;
  readonly autostartFile: string;
  readonly loginItems: LoginItemPort;
}

export function setLaunchAtLogin(enabled: boolean, deps: LaunchAtLoginDeps): void {
  switch (deps.platform) {
    case 'darwin':
      deps.loginItems.setLoginItemSettings({ openAtLogin: enabled });
      return;
    case 'win32':
      deps.loginItems.setLoginItemSettings({ openAtLogin: enabled, path: deps.command.executable, args: [...deps.command.args] });
      return;
    default:
      setLinuxAutostart(deps.autostartFile, enabled, deps.command);
  }
}
