import { describe, expect, it } from 'vitest';
import { MAX_TRAY_REQUESTS, menuText, trayBadge, trayMenuModel, type TrayAction, type TrayItem } from '../../src/main/tray-menu.js';
import { approval, deviceRequest, trayState } from './shell-fixtures.js';

/** Every clickable item with its label and action, flattened through submenus. */
function clickable(items: readonly TrayItem[]): { label: string; action: TrayAction; enabled: boolean }[] {
  return items.flatMap((item) => {
    if (item.kind === 'submenu') return clickable(item.items);
    if (item.kind === 'item') return [{ label: item.label, action: item.action, enabled: item.enabled }];
    if (item.kind === 'checkbox' || item.kind === 'radio') return [{ label: item.label, action: item.action, enabled: true }];
    return [];
  });
}

function labels(items: readonly TrayItem[]): string[] {
  return items.flatMap((i) => (i.kind === 'separator' ? [] : i.kind === 'submenu' ? [i.label, ...labels(i.items)] : [i.label]));
}

function find(items: readonly TrayItem[], label: string) {
  const found = clickable(items).find((i) => i.label === label);
  if (found === undefined) throw new Error(`no item "${label}" in ${JSON.stringify(labels(items))}`);
  return found;
}

describe('trayMenuModel', () => {
  it('offers Open, Lock now, Pause all agents, Settings and Quit when unlocked and calm', () => {
    const items = trayMenuModel(trayState());
    const top = items.filter((i) => i.kind !== 'separator').map((i) => ('label' in i ? i.label : ''));
    expect(top).toEqual(['Valetkey: unlocked', 'Open Valetkey', 'Lock now', 'Pause all agents', 'Settings', 'Quit Valetkey']);
    expect(find(items, 'Lock now').action).toEqual({ type: 'lock' });
    expect(find(items, 'Pause all agents').action).toEqual({ type: 'pause' });
    expect(find(items, 'Quit Valetkey').action).toEqual({ type: 'quit' });
    expect(find(items, 'Open Valetkey').action).toEqual({ type: 'open' });
  });

  it('offers Unlock… (opening the window for the passphrase) instead of Lock now when locked', () => {
    const items = trayMenuModel(trayState({ locked: true }));
    expect(labels(items)).not.toContain('Lock now');
    expect(find(items, 'Unlock…').action).toEqual({ type: 'open' });
    expect(labels(items)[0]).toBe('Valetkey: locked');
  });

  it('offers Resume agents (a grant) while agents are paused', () => {
    const items = trayMenuModel(trayState({ agentsPaused: true }));
    expect(labels(items)).not.toContain('Pause all agents');
    expect(find(items, 'Resume agents').action).toEqual({ type: 'resume' });
  });

  it('lists each pending approval and device request, each opening its own prompt', () => {
    const items = trayMenuModel(
      trayState({ approvals: [approval({ id: 'a1' }), approval({ id: 'a2', agent: 'bot-2', entryTitle: null })], deviceRequests: [deviceRequest({ id: 'd1' })] }),
    );
    expect(labels(items)).toContain('Waiting for you');
    const prompts = clickable(items).filter((i) => i.action.type === 'open-approval' || i.action.type === 'open-device-request');
    expect(prompts.map((p) => p.action)).toEqual([
      { type: 'open-approval', approvalId: 'a1' },
      { type: 'open-approval', approvalId: 'a2' },
      { type: 'open-device-request', requestId: 'd1' },
    ]);
    expect(prompts[0]?.label).toBe('claude-code wants to read Work / GitHub…');
    expect(prompts[1]?.label).toBe('bot-2 wants to read Work…');
    // The user code lets the person match the line to what the agent printed.
    expect(prompts[2]?.label).toBe('accounting bot asks for a key (BCDF-GHJK)…');
  });

  it('shows no "Waiting for you" section when nothing waits', () => {
    expect(labels(trayMenuModel(trayState()))).not.toContain('Waiting for you');
  });

  it(`collapses more than ${MAX_TRAY_REQUESTS} requests into "N more…" opening the Approvals page`, () => {
    const many = Array.from({ length: MAX_TRAY_REQUESTS + 3 }, (_, i) => approval({ id: `a${i}` }));
    const items = trayMenuModel(trayState({ approvals: many }));
    const prompts = clickable(items).filter((i) => i.action.type === 'open-approval');
    expect(prompts).toHaveLength(MAX_TRAY_REQUESTS);
    expect(find(items, '3 more…').action).toEqual({ type: 'open-approvals' });
  });

  it('disables engine actions but keeps Open and Quit when the engine does not answer', () => {
    const items = trayMenuModel(trayState({ reachable: false, locked: true }));
    expect(labels(items)[0]).toBe('Valetkey: the engine is not running');
    expect(find(items, 'Unlock…').enabled).toBe(false);
    expect(find(items, 'Pause all agents').enabled).toBe(false);
    expect(find(items, 'Open Valetkey').enabled).toBe(true);
    expect(find(items, 'Quit Valetkey').enabled).toBe(true);
  });

  it('builds the Settings submenu from the settings, each click asking for the flipped value', () => {
    const items = trayMenuModel(trayState({ settings: { autoLockMinutes: 30, lockOnSuspend: true, lockOnScreenLock: false, launchAtLogin: false, requireTouchIdForGrants: false } }));
    const settings = items.find((i) => i.kind === 'submenu' && i.label === 'Settings');
    if (settings?.kind !== 'submenu') throw new Error('no Settings submenu');
    const idle = settings.items.find((i) => i.kind === 'submenu' && i.label === 'Lock when idle');
    if (idle?.kind !== 'submenu') throw new Error('no idle submenu');
    const checked = idle.items.filter((i) => i.kind === 'radio' && i.checked).map((i) => ('label' in i ? i.label : ''));
    expect(checked).toEqual(['After 30 minutes']);
    expect(find(items, 'Never').action).toEqual({ type: 'settings', change: { autoLockMinutes: 0 } });
    expect(find(items, 'Lock when the computer sleeps').action).toEqual({ type: 'settings', change: { lockOnSuspend: false } });
    expect(find(items, 'Lock when the screen locks').action).toEqual({ type: 'settings', change: { lockOnScreenLock: true } });
    expect(find(items, 'Start Valetkey at login').action).toEqual({ type: 'settings', change: { launchAtLogin: true } });
  });

  it('offers the Touch ID setting only on a Mac that can prompt for it', () => {
    const label = 'Require Touch ID to grant access';
    expect(labels(trayMenuModel(trayState({ platform: 'darwin', touchIdAvailable: true })))).toContain(label);
    expect(labels(trayMenuModel(trayState({ platform: 'darwin', touchIdAvailable: false })))).not.toContain(label);
    expect(labels(trayMenuModel(trayState({ platform: 'linux', touchIdAvailable: true })))).not.toContain(label);
  });
});

describe('menuText (agent-chosen words in our menu)', () => {
  it('doubles & so a name cannot plant an accelerator', () => {
    expect(menuText('R&D bot')).toBe('R&&D bot');
  });

  it('keeps one line without control or bidi-override characters', () => {
    expect(menuText('evil\nApprove all\u202e\tnow')).toBe('evil Approve all now');
  });

  it('bounds the length without splitting a character', () => {
    const long = '😀'.repeat(60);
    const shown = menuText(long);
    expect(Array.from(shown)).toHaveLength(40);
    expect(shown.endsWith('…')).toBe(true);
    expect(shown).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
  });
});

describe('trayBadge', () => {
  it('counts pending approvals and device requests together', () => {
    const badge = trayBadge(trayState({ approvals: [approval(), approval({ id: 'a2' })], deviceRequests: [deviceRequest()] }));
    expect(badge).toEqual({ count: 3, title: '3', tooltip: 'Valetkey: unlocked, 3 requests waiting' });
  });

  it('is empty with nothing pending', () => {
    expect(trayBadge(trayState({ locked: true }))).toEqual({ count: 0, title: '', tooltip: 'Valetkey: locked' });
  });

  it('says "request" for one', () => {
    expect(trayBadge(trayState({ deviceRequests: [deviceRequest()] })).tooltip).toBe('Valetkey: unlocked, 1 request waiting');
  });
});
