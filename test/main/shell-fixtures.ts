/** Engine data shapes for the shell's tests, as the engine would send them. */
import type { ApprovalInfo, DeviceRequestInfo } from '../../src/shared/model.js';
import { DEFAULT_DESKTOP_SETTINGS } from '../../src/main/desktop-settings.js';
import type { TrayState } from '../../src/main/tray-menu.js';

export function approval(over: Partial<ApprovalInfo> = {}): ApprovalInfo {
  return {
    id: 'apr_1',
    tokenId: 'tok_1',
    tokenName: 'coding agent',
    tokenOrigin: 'device',
    agent: 'claude-code',
    keyThumbprint: 'NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs',
    vaultId: 'vlt_1',
    vaultName: 'Work',
    entryId: 'ent_1',
    entryTitle: 'GitHub',
    field: 'password',
    action: 'read',
    reason: 'push the release branch',
    status: 'pending',
    decision: null,
    minutes: null,
    createdAt: '2025-01-01T00:00:00.000Z',
    expiresAt: '2025-01-01T00:02:00.000Z',
    decidedAt: null,
    ...over,
  };
}

export function deviceRequest(over: Partial<DeviceRequestInfo> = {}): DeviceRequestInfo {
  return {
    id: 'dev_1',
    userCode: 'BCDF-GHJK',
    clientName: 'accounting bot',
    keyThumbprint: 'q2Yp1sKc1cwE5C4n0cWc4b6QH8Zl2kVv0w9Yk7bT8aE',
    requestedScope: 'vault:vlt_2:read',
    vaults: [{ ref: 'Finance', id: 'vlt_2', name: 'Finance' }],
    actions: ['read'],
    lifespanSeconds: 86_400,
    reason: 'monthly invoices',
    status: 'pending',
    createdAt: '2025-01-01T00:00:00.000Z',
    expiresAt: '2025-01-01T00:10:00.000Z',
    tokenId: null,
    ...over,
  };
}

export function trayState(over: Partial<TrayState> = {}): TrayState {
  return {
    reachable: true,
    locked: false,
    agentsPaused: false,
    approvals: [],
    deviceRequests: [],
    settings: DEFAULT_DESKTOP_SETTINGS,
    platform: 'linux',
    touchIdAvailable: false,
    ...over,
  };
}
