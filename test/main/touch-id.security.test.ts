import { describe, expect, it } from 'vitest';
import { ADMIN_METHODS, type AdminMethod } from '../../src/shared/admin-api.js';
import { VkError } from '../../src/shared/errors.js';
import { DEFAULT_DESKTOP_SETTINGS, type DesktopSettings } from '../../src/main/desktop-settings.js';
import { confirmSettingsChange, createGrantGate, requiresTouchId, touchIdReason, type TouchIdPort } from '../../src/main/touch-id.js';

const on: DesktopSettings = { ...DEFAULT_DESKTOP_SETTINGS, requireTouchIdForGrants: true };
const off: DesktopSettings = { ...DEFAULT_DESKTOP_SETTINGS, requireTouchIdForGrants: false };
const methods = Object.keys(ADMIN_METHODS) as AdminMethod[];

/** A sensor stand-in: records each prompt's reason, and says yes or no as told. */
class FakeTouchId implements TouchIdPort {
  readonly reasons: string[] = [];
  constructor(
    private readonly available = true,
    private readonly confirms = true,
  ) {}
  canPromptTouchID(): boolean {
    return this.available;
  }
  async promptTouchID(reason: string): Promise<void> {
    this.reasons.push(reason);
    if (!this.confirms) throw new Error('User canceled');
  }
}

describe('requiresTouchId', () => {
  it('asks for every grant-class method on macOS with the setting on, and for nothing else', () => {
    for (const method of methods) {
      expect(requiresTouchId(method, on, 'darwin', {})).toBe(ADMIN_METHODS[method] === 'grant');
    }
  });

  it('asks for nothing with the setting off or on another platform', () => {
    for (const method of methods) {
      expect(requiresTouchId(method, off, 'darwin', {})).toBe(false);
      expect(requiresTouchId(method, on, 'linux', {})).toBe(false);
      expect(requiresTouchId(method, on, 'win32', {})).toBe(false);
    }
  });

  it('lets a denial through without a finger, but not an approval', () => {
    expect(requiresTouchId('decideApproval', on, 'darwin', { decision: 'deny' })).toBe(false);
    expect(requiresTouchId('decideDeviceRequest', on, 'darwin', { decision: 'deny' })).toBe(false);
    expect(requiresTouchId('decideApproval', on, 'darwin', { decision: 'allow_once' })).toBe(true);
    expect(requiresTouchId('decideApproval', on, 'darwin', { decision: 'allow_for', minutes: 60 })).toBe(true);
    expect(requiresTouchId('decideDeviceRequest', on, 'darwin', { decision: 'approve' })).toBe(true);
    // "deny" on some other grant is not a denial.
    expect(requiresTouchId('createToken', on, 'darwin', { decision: 'deny' })).toBe(true);
  });
});

describe('createGrantGate', () => {
  it('prompts with a fixed reason that never carries the params', async () => {
    const sensor = new FakeTouchId();
    const gate = createGrantGate({ platform: 'darwin', settings: () => on, touchId: sensor });
    await gate('getEntry', { vaultId: 'v', entryId: 'e', grant: { passphrase: 'hunter2-secret' } });
    await gate('decideApproval', { approvalId: 'apr_1', decision: 'allow_once' });
    expect(sensor.reasons).toEqual([touchIdReason('getEntry'), touchIdReason('decideApproval')]);
    expect(sensor.reasons.join(' ')).not.toMatch(/hunter2|apr_1/);
  });

  it('refuses with grant_required when the person cancels', async () => {
    const gate = createGrantGate({ platform: 'darwin', settings: () => on, touchId: new FakeTouchId(true, false) });
    await expect(gate('createToken', {})).rejects.toMatchObject({ code: 'grant_required' });
  });

  it('fails closed when Touch ID cannot prompt (lid closed, no sensor)', async () => {
    const unavailable = createGrantGate({ platform: 'darwin', settings: () => on, touchId: new FakeTouchId(false) });
    await expect(unavailable('resumeAgents', {})).rejects.toBeInstanceOf(VkError);
    const none = createGrantGate({ platform: 'darwin', settings: () => on, touchId: undefined });
    await expect(none('resumeAgents', {})).rejects.toMatchObject({ code: 'grant_required' });
  });

  it('reads the settings at each call, so turning the setting on takes effect at once', async () => {
    let current = off;
    const sensor = new FakeTouchId(true, false);
    const gate = createGrantGate({ platform: 'darwin', settings: () => current, touchId: sensor });
    await expect(gate('createToken', {})).resolves.toBeUndefined();
    current = on;
    await expect(gate('createToken', {})).rejects.toMatchObject({ code: 'grant_required' });
  });

  it('never prompts for reads and safe methods', async () => {
    const sensor = new FakeTouchId();
    const gate = createGrantGate({ platform: 'darwin', settings: () => on, touchId: sensor });
    await gate('listTokens', {});
    await gate('lock', {});
    await gate('revokeAllTokens', {});
    expect(sensor.reasons).toEqual([]);
  });
});

describe('confirmSettingsChange', () => {
  it('needs Touch ID to loosen a setting while it is required, and fails closed without it', async () => {
    const sensor = new FakeTouchId();
    await confirmSettingsChange(on, off, 'darwin', sensor);
    expect(sensor.reasons).toHaveLength(1);
    await expect(confirmSettingsChange(on, { ...on, autoLockMinutes: 0 }, 'darwin', new FakeTouchId(true, false))).rejects.toMatchObject({ code: 'grant_required' });
    await expect(confirmSettingsChange(on, off, 'darwin', new FakeTouchId(false))).rejects.toMatchObject({ code: 'grant_required' });
  });

  it('asks nothing to tighten, when not required, or off macOS', async () => {
    const sensor = new FakeTouchId(true, false);
    await confirmSettingsChange(on, { ...on, autoLockMinutes: 5 }, 'darwin', sensor);
    await confirmSettingsChange(off, { ...off, lockOnSuspend: false }, 'darwin', sensor);
    await confirmSettingsChange(on, off, 'linux', sensor);
    await confirmSettingsChange(off, on, 'darwin', sensor);
    expect(sensor.reasons).toEqual([]);
  });
});
