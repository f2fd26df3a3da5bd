import { describe, expect, it } from 'vitest';
import { DEFAULT_DESKTOP_SETTINGS } from '../../src/main/desktop-settings.js';
import { APPROVALS_ROUTE, trayActionEffect } from '../../src/main/tray-actions.js';
import type { TrayAction } from '../../src/main/tray-menu.js';

describe('trayActionEffect', () => {
  it.each<[TrayAction, unknown]>([
    [{ type: 'open' }, { kind: 'show-main' }],
    [{ type: 'open-approvals' }, { kind: 'show-main', route: APPROVALS_ROUTE }],
    [{ type: 'open-approval', approvalId: 'apr_9' }, { kind: 'show-prompt', target: { kind: 'approval', id: 'apr_9' } }],
    [{ type: 'open-device-request', requestId: 'dev_9' }, { kind: 'show-prompt', target: { kind: 'device', id: 'dev_9' } }],
    [{ type: 'lock' }, { kind: 'admin', method: 'lock' }],
    [{ type: 'pause' }, { kind: 'admin', method: 'pauseAgents' }],
    [{ type: 'resume' }, { kind: 'admin', method: 'resumeAgents' }],
    [{ type: 'quit' }, { kind: 'quit' }],
  ])('%j → %j', (action, effect) => {
    expect(trayActionEffect(action, DEFAULT_DESKTOP_SETTINGS)).toEqual(effect);
  });

  it('never approves from the menu: a pending request only opens its prompt', () => {
    const effect = trayActionEffect({ type: 'open-approval', approvalId: 'apr_1' }, DEFAULT_DESKTOP_SETTINGS);
    expect(effect.kind).toBe('show-prompt');
  });

  it('merges a settings change into the current settings, validated', () => {
    const current = { ...DEFAULT_DESKTOP_SETTINGS, autoLockMinutes: 5 };
    expect(trayActionEffect({ type: 'settings', change: { launchAtLogin: true } }, current)).toEqual({
      kind: 'settings',
      next: { ...current, launchAtLogin: true },
    });
    const bad = trayActionEffect({ type: 'settings', change: { autoLockMinutes: -3 } }, current);
    expect(bad).toEqual({ kind: 'settings', next: { ...current, autoLockMinutes: DEFAULT_DESKTOP_SETTINGS.autoLockMinutes } });
  });
});
