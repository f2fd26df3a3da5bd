/**
 * What the tray shows, as plain data built from the engine's state: tray.ts turns it into an
 * Electron Menu and hands clicks to tray-actions.ts. Nothing here touches Electron.
 */
import type { ApprovalInfo, DeviceRequestInfo } from '../shared/model.js';
import { AUTO_LOCK_CHOICES, type DesktopSettings } from './desktop-settings.js';
import { oneLine } from './display-text.js';

export interface TrayState {
  /** False when the engine did not answer: the menu still offers Open and Quit. */
  readonly reachable: boolean;
  readonly locked: boolean;
  readonly agentsPaused: boolean;
  /** Pending only. */
  readonly approvals: readonly ApprovalInfo[];
  /** Pending only. */
  readonly deviceRequests: readonly DeviceRequestInfo[];
  readonly settings: DesktopSettings;
  readonly platform: NodeJS.Platform;
  readonly touchIdAvailable: boolean;
}

export type TrayAction =
  | { readonly type: 'open' }
  | { readonly type: 'open-approvals' }
  | { readonly type: 'open-approval'; readonly approvalId: string }
  | { readonly type: 'open-device-request'; readonly requestId: string }
  | { readonly type: 'lock' }
  | { readonly type: 'pause' }
  | { readonly type: 'resume' }
  | { readonly type: 'settings'; readonly change: Partial<DesktopSettings> }
  | { readonly type: 'quit' };

export type TrayItem =
  | { readonly kind: 'item'; readonly label: string; readonly enabled: boolean; readonly action: TrayAction }
  | { readonly kind: 'checkbox' | 'radio'; readonly label: string; readonly checked: boolean; readonly action: TrayAction }
  | { readonly kind: 'submenu'; readonly label: string; readonly items: readonly TrayItem[] }
  | { readonly kind: 'label'; readonly label: string }
  | { readonly kind: 'separator' };

/** More than this many pending requests collapse into one "N more…" line that opens the Approvals page. */
export const MAX_TRAY_REQUESTS = 8;
const MAX_LABEL_TEXT = 40;

const SEPARATOR: TrayItem = { kind: 'separator' };

export function trayMenuModel(state: TrayState): readonly TrayItem[] {
  return [
    { kind: 'label', label: headline(state) },
    { kind: 'item', label: 'Open Valetkey', enabled: true, action: { type: 'open' } },
    ...pendingItems(state),
    SEPARATOR,
    lockItem(state),
    pauseItem(state),
    settingsSubmenu(state),
    SEPARATOR,
    { kind: 'item', label: 'Quit Valetkey', enabled: true, action: { type: 'quit' } },
  ];
}

/** What the icon says: a count for the badge, the tooltip, and the macOS title next to the icon. */
export function trayBadge(state: TrayState): { readonly count: number; readonly tooltip: string; readonly title: string } {
  const count = state.approvals.length + state.deviceRequests.length;
  const waiting = count === 0 ? '' : `, ${count} ${count === 1 ? 'request' : 'requests'} waiting`;
  return { count, tooltip: `${headline(state)}${waiting}`, title: count === 0 ? '' : String(count) };
}

function headline(state: TrayState): string {
  if (!state.reachable) return 'Valetkey: the engine is not running';
  if (state.locked) return 'Valetkey: locked';
  if (state.agentsPaused) return 'Valetkey: agents paused';
  return 'Valetkey: unlocked';
}

function pendingItems(state: TrayState): readonly TrayItem[] {
  const approvals = state.approvals.map(approvalItem);
  const devices = state.deviceRequests.map(deviceItem);
  const all = [...approvals, ...devices];
  if (all.length === 0) return [];
  const shown = all.slice(0, MAX_TRAY_REQUESTS);
  const more: TrayItem[] =
    all.length > shown.length ? [{ kind: 'item', label: `${all.length - shown.length} more…`, enabled: true, action: { type: 'open-approvals' } }] : [];
  return [SEPARATOR, { kind: 'label', label: 'Waiting for you' }, ...shown, ...more];
}

function approvalItem(a: ApprovalInfo): TrayItem {
  const where = [a.vaultName ?? a.vaultId, a.entryTitle].filter((part): part is string => part !== null).join(' / ');
  const label = `${menuText(a.agent)} wants to ${a.action} ${menuText(where)}…`;
  return { kind: 'item', label, enabled: true, action: { type: 'open-approval', approvalId: a.id } };
}

function deviceItem(r: DeviceRequestInfo): TrayItem {
  // The user code lets the person match the line to what the agent printed.
  const label = `${menuText(r.clientName)} asks for a key (${menuText(r.userCode)})…`;
  return { kind: 'item', label, enabled: true, action: { type: 'open-device-request', requestId: r.id } };
}

function lockItem(state: TrayState): TrayItem {
  // Unlocking needs the passphrase, typed in the window, never in a menu.
  if (state.locked) return { kind: 'item', label: 'Unlock…', enabled: state.reachable, action: { type: 'open' } };
  return { kind: 'item', label: 'Lock now', enabled: state.reachable, action: { type: 'lock' } };
}

function pauseItem(state: TrayState): TrayItem {
  if (state.agentsPaused) return { kind: 'item', label: 'Resume agents', enabled: state.reachable, action: { type: 'resume' } };
  return { kind: 'item', label: 'Pause all agents', enabled: state.reachable, action: { type: 'pause' } };
}

function settingsSubmenu(state: TrayState): TrayItem {
  const s = state.settings;
  const idle: TrayItem[] = AUTO_LOCK_CHOICES.map((minutes) => ({
    kind: 'radio',
    label: minutes === 0 ? 'Never' : `After ${minutes} minutes`,
    checked: s.autoLockMinutes === minutes,
    action: { type: 'settings', change: { autoLockMinutes: minutes } },
  }));
  const touchId: TrayItem[] =
    state.platform === 'darwin' && state.touchIdAvailable
      ? [checkbox('Require Touch ID to grant access', s.requireTouchIdForGrants, { requireTouchIdForGrants: !s.requireTouchIdForGrants })]
      : [];
  return {
    kind: 'submenu',
    label: 'Settings',
    items: [
      { kind: 'submenu', label: 'Lock when idle', items: idle },
      checkbox('Lock when the computer sleeps', s.lockOnSuspend, { lockOnSuspend: !s.lockOnSuspend }),
      checkbox('Lock when the screen locks', s.lockOnScreenLock, { lockOnScreenLock: !s.lockOnScreenLock }),
      checkbox('Start Valetkey at login', s.launchAtLogin, { launchAtLogin: !s.launchAtLogin }),
      ...touchId,
    ],
  };
}

function checkbox(label: string, checked: boolean, change: Partial<DesktopSettings>): TrayItem {
  return { kind: 'checkbox', label, checked, action: { type: 'settings', change } };
}

/** Agent text for a menu label: one bounded line, '&' doubled so it cannot plant an accelerator (Windows, Linux). */
export function menuText(text: string): string {
  return oneLine(text, MAX_LABEL_TEXT).replace(/&/g, '&&');
}
