import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  HIDDEN_FLAG,
  autostartDesktopEntry,
  autostartPath,
  isOwnAutostart,
  launchCommand,
  setLaunchAtLogin,
  setLinuxAutostart,
  startsHidden,
} from '../../src/main/launch-at-login.js';

/**
 * A reader that follows the Desktop Entry Specification 1.5 strictly (group header, key=value,
 * string escapes, then Exec quoting and field codes), to check the file as a desktop would read it.
 */
function readDesktopEntry(text: string): Map<string, string> {
  const lines = text.split('\n').filter((l) => l !== '' && !l.startsWith('#'));
  expect(lines[0]).toBe('[Desktop Entry]');
  const entries = new Map<string, string>();
  for (const line of lines.slice(1)) {
    const match = /^([A-Za-z0-9-]+)=(.*)$/.exec(line);
    if (match === null) throw new Error(`not a key=value line: ${line}`);
    const [, key = '', value = ''] = match;
    if (entries.has(key)) throw new Error(`duplicate key ${key}`);
    entries.set(key, value);
  }
  return entries;
}

function unescapeString(value: string): string {
  return value.replace(/\\([sntr\\])/g, (_m, c: string) => ({ s: ' ', n: '\n', t: '\t', r: '\r', '\\': '\\' })[c] ?? '');
}

function execArguments(exec: string): string[] {
  const text = unescapeString(exec);
  const args: string[] = [];
  let i = 0;
  while (i < text.length) {
    if (text[i] === ' ') {
      i++;
      continue;
    }
    let arg = '';
    if (text[i] === '"') {
      i++;
      while (text[i] !== '"') {
        if (i >= text.length) throw new Error('unterminated quote');
        if (text[i] === '\\') {
          const next = text[i + 1] ?? '';
          if (!'"`$\\'.includes(next)) throw new Error(`bad escape \\${next}`);
          arg += next;
          i += 2;
        } else arg += text[i++];
      }
      i++;
    } else {
      while (i < text.length && text[i] !== ' ') {
        if ('"\'\\><~|&;$*?#()`'.includes(text[i] ?? '')) throw new Error(`reserved character outside quotes: ${text[i]}`);
        arg += text[i++];
      }
    }
    if (/%[^%]/.test(arg.replace(/%%/g, ''))) throw new Error(`field code in ${arg}`);
    args.push(arg.replace(/%%/g, '%'));
  }
  return args;
}

const dirs: string[] = [];
function tempHome(): string {
  const dir = mkdtempSync(join(tmpdir(), 'vk-home-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('autostartDesktopEntry', () => {
  it('is a valid application entry that starts Valetkey hidden at login', () => {
    const entry = readDesktopEntry(autostartDesktopEntry('/opt/Valetkey/valetkey'));
    expect(entry.get('Type')).toBe('Application');
    expect(entry.get('Name')).toBe('Valetkey');
    expect(entry.get('Terminal')).toBe('false');
    expect(entry.get('X-GNOME-Autostart-enabled')).toBe('true');
    expect(entry.has('Hidden')).toBe(false);
    expect(execArguments(entry.get('Exec') ?? '')).toEqual(['/opt/Valetkey/valetkey', HIDDEN_FLAG]);
  });

  it.each([
    '/home/a b/Apps/Valetkey.AppImage',
    '/tmp/quote"d/`tick`/$HOME/back\\slash/100%/valetkey',
    "/it's/(odd)/&;|<>*?#~/valetkey",
  ])('round-trips an awkward path exactly: %s', (path) => {
    const text = autostartDesktopEntry(path, [HIDDEN_FLAG, '/app dir']);
    expect(execArguments(readDesktopEntry(text).get('Exec') ?? '')).toEqual([path, HIDDEN_FLAG, '/app dir']);
  });

  it('refuses a path with a line break rather than writing a second key', () => {
    expect(() => autostartDesktopEntry('/tmp/x\nExec=/bin/evil')).toThrow(/control character/);
  });
});

describe('the Linux autostart file', () => {
  it('is ~/.config/autostart/valetkey.desktop, or under an absolute XDG_CONFIG_HOME', () => {
    expect(autostartPath({ HOME: '/home/p' }, '/fallback')).toBe('/home/p/.config/autostart/valetkey.desktop');
    expect(autostartPath({ HOME: '/home/p', XDG_CONFIG_HOME: '/cfg' }, '/fallback')).toBe('/cfg/autostart/valetkey.desktop');
    expect(autostartPath({ HOME: '/home/p', XDG_CONFIG_HOME: 'relative' }, '/fallback')).toBe('/home/p/.config/autostart/valetkey.desktop');
    expect(autostartPath({}, '/fallback')).toBe('/fallback/.config/autostart/valetkey.desktop');
  });

  it('is written in a fresh HOME when turned on, and removed when turned off', () => {
    const home = tempHome();
    const file = autostartPath({ HOME: home }, '/unused');
    const command = { executable: '/opt/Valetkey/valetkey', args: [HIDDEN_FLAG] };
    setLaunchAtLogin(true, { platform: 'linux', command, autostartFile: file, loginItems: { setLoginItemSettings: () => expect.fail('not on Linux') } });
    expect(file).toBe(join(home, '.config', 'autostart', 'valetkey.desktop'));
    const entry = readDesktopEntry(readFileSync(file, 'utf8'));
    expect(execArguments(entry.get('Exec') ?? '')).toEqual(['/opt/Valetkey/valetkey', HIDDEN_FLAG]);
    expect(isOwnAutostart(file)).toBe(true);
    setLaunchAtLogin(false, { platform: 'linux', command, autostartFile: file, loginItems: { setLoginItemSettings: () => expect.fail('not on Linux') } });
    expect(existsSync(file)).toBe(false);
  });

  it('never deletes a valetkey.desktop it did not write', () => {
    const home = tempHome();
    const file = autostartPath({ HOME: home }, '/unused');
    mkdirSync(join(file, '..'), { recursive: true });
    writeFileSync(file, '[Desktop Entry]\nType=Application\nName=Mine\nExec=/usr/bin/true\n');
    setLinuxAutostart(file, false, { executable: '/x', args: [] });
    expect(readFileSync(file, 'utf8')).toContain('Name=Mine');
  });

  it('turning off when nothing is there is fine', () => {
    expect(() => setLinuxAutostart(join(tempHome(), 'none.desktop'), false, { executable: '/x', args: [] })).not.toThrow();
  });
});

const validator = spawnSync('desktop-file-validate', ['--help']).error === undefined;

describe.skipIf(!validator)(`desktop-file-validate${validator ? '' : ' (SKIPPED: desktop-file-utils is not installed)'}`, () => {
  it('finds nothing wrong with the entry', () => {
    const file = join(tempHome(), 'valetkey.desktop');
    setLinuxAutostart(file, true, { executable: '/home/a b/Valetkey "1".AppImage', args: [HIDDEN_FLAG] });
    expect(execFileSync('desktop-file-validate', [file], { encoding: 'utf8' })).toBe('');
  });
});

describe('macOS and Windows use the OS login item', () => {
  it('passes the executable and --hidden on Windows, only the switch on macOS', () => {
    const calls: unknown[] = [];
    const loginItems = { setLoginItemSettings: (s: unknown) => calls.push(s) };
    const command = { executable: 'C:\\Valetkey\\Valetkey.exe', args: [HIDDEN_FLAG] };
    setLaunchAtLogin(true, { platform: 'win32', command, autostartFile: '/unused', loginItems });
    setLaunchAtLogin(false, { platform: 'darwin', command, autostartFile: '/unused', loginItems });
    expect(calls).toEqual([{ openAtLogin: true, path: 'C:\\Valetkey\\Valetkey.exe', args: [HIDDEN_FLAG] }, { openAtLogin: false }]);
  });
});

describe('launchCommand and startsHidden', () => {
  it('uses the AppImage’s own path, the packaged executable, or Electron plus the app folder in development', () => {
    const base = { execPath: '/tmp/.mount_X/valetkey', isPackaged: true, appPath: '/app', appImage: undefined };
    expect(launchCommand({ ...base, appImage: '/home/p/Valetkey.AppImage' })).toEqual({ executable: '/home/p/Valetkey.AppImage', args: [HIDDEN_FLAG] });
    expect(launchCommand(base)).toEqual({ executable: '/tmp/.mount_X/valetkey', args: [HIDDEN_FLAG] });
    expect(launchCommand({ ...base, isPackaged: false, execPath: '/n/electron' })).toEqual({ executable: '/n/electron', args: ['/app', HIDDEN_FLAG] });
  });

  it('starts hidden when launched at login, by flag or by the OS’s word', () => {
    expect(startsHidden(['/x', HIDDEN_FLAG], false)).toBe(true);
    expect(startsHidden(['/x'], true)).toBe(true);
    expect(startsHidden(['/x', '.'], false)).toBe(false);
  });
});
