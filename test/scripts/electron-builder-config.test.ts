import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const root = new URL('../../', import.meta.url);
const config = JSON.parse(readFileSync(new URL('build/electron-builder.json', root), 'utf8')) as {
  appId: string;
  productName: string;
  files: string[];
  asarUnpack: string[];
  linux: { target: string[]; category: string };
  mac: { target: string[]; hardenedRuntime: boolean; entitlements: string; entitlementsInherit: string };
  win: { target: string[] };
};

describe('build/electron-builder.json', () => {
  it('names the app', () => {
    expect(config.appId).toBe('dev.valetkey.app');
    expect(config.productName).toBe('Valetkey');
    expect(config.files).toContain('out/**');
  });

  it('targets Linux, macOS and Windows', () => {
    expect(config.linux.target).toEqual(['AppImage', 'deb']);
    expect(config.linux.category).toBe('Utility');
    expect(config.mac.target).toEqual(['dmg', 'zip']);
    expect(config.mac.hardenedRuntime).toBe(true);
    expect(config.win.target).toEqual(['nsis']);
  });

  it('points at files that exist', () => {
    expect(existsSync(new URL(config.mac.entitlements, root))).toBe(true);
    expect(existsSync(new URL(config.mac.entitlementsInherit, root))).toBe(true);
    for (const icon of ['build/icon.png', 'build/icon.svg', 'build/tray.png', 'build/tray@2x.png']) {
      expect(existsSync(new URL(icon, root)), icon).toBe(true);
    }
  });

  it('unpacks every native module from the asar', () => {
    for (const native of ['better-sqlite3', '@napi-rs/keyring']) {
      expect(config.asarUnpack.some((glob) => glob.startsWith(`node_modules/${native}`))).toBe(true);
    }
  });

  it('ships an entitlements plist that is well-formed enough to sign with', () => {
    const plist = readFileSync(new URL(config.mac.entitlements, root), 'utf8');
    expect(plist).toMatch(/^<\?xml/);
    expect(plist).toContain('<key>com.apple.security.cs.allow-jit</key>');
    expect((plist.match(/<dict>/g) ?? []).length).toBe((plist.match(/<\/dict>/g) ?? []).length);
  });
});
