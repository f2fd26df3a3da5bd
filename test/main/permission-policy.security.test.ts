import { describe, expect, it } from 'vitest';
import { permissionDecision } from '../../src/main/permission-policy.js';

const APP = 'http://localhost:5173';

describe('permissionDecision', () => {
  it('lets our own pages write and read the clipboard (copy, then clear after 30 s)', () => {
    expect(permissionDecision('clipboard-sanitized-write', `${APP}/#/vaults`, APP)).toBe(true);
    expect(permissionDecision('clipboard-read', `${APP}/`, APP)).toBe(true);
  });

  it('refuses the clipboard to any other origin', () => {
    expect(permissionDecision('clipboard-sanitized-write', 'https://evil.example/', APP)).toBe(false);
    expect(permissionDecision('clipboard-read', 'http://localhost:5174/', APP)).toBe(false);
  });

  it('refuses every other permission, even to our pages', () => {
    for (const p of ['media', 'notifications', 'geolocation', 'openExternal', 'fullscreen', 'hid', 'serial', 'usb']) {
      expect(permissionDecision(p, `${APP}/`, APP)).toBe(false);
    }
  });
});
