/**
 * The slice of engine state the tray and badge show, read with the shell's own context (reads
 * need no person). A list the engine cannot give (locked, or a service not there) shows as empty:
 * the tray must keep working with a half-available engine.
 */
import type { AdminDispatcher } from '../shared/admin-api.js';
import type { AdminEvent, ApprovalInfo, DeviceRequestInfo, EngineStatus } from '../shared/model.js';
import { SHELL_CONTEXT } from './person-caller.js';

export interface EngineSnapshot {
  readonly reachable: boolean;
  readonly locked: boolean;
  readonly agentsPaused: boolean;
  readonly approvals: readonly ApprovalInfo[];
  readonly deviceRequests: readonly DeviceRequestInfo[];
}

/** Before the first answer: assume locked, so nothing offers to lock what may not be open. */
export const UNKNOWN_SNAPSHOT: EngineSnapshot = Object.freeze({ reachable: false, locked: true, agentsPaused: false, approvals: [], deviceRequests: [] });

export async function loadEngineSnapshot(dispatch: AdminDispatcher): Promise<EngineSnapshot> {
  let status: EngineStatus;
  try {
    status = (await dispatch('status', {}, SHELL_CONTEXT)) as EngineStatus;
  } catch {
    return UNKNOWN_SNAPSHOT;
  }
  const [approvals, deviceRequests] = await Promise.all([
    listOrEmpty<ApprovalInfo>(dispatch('listApprovals', { status: 'pending' }, SHELL_CONTEXT)),
    listOrEmpty<DeviceRequestInfo>(dispatch('listDeviceRequests', { status: 'pending' }, SHELL_CONTEXT)),
  ]);
  return {
    reachable: true,
    locked: status.locked,
    agentsPaused: status.agentsPaused,
    approvals: approvals.filter((a) => a.status === 'pending'),
    deviceRequests: deviceRequests.filter((r) => r.status === 'pending'),
  };
}

async function listOrEmpty<T>(call: Promise<unknown>): Promise<readonly T[]> {
  try {
    const value = await call;
    return Array.isArray(value) ? (value as T[]) : [];
  } catch {
    return [];
  }
}

/** Events after which the tray may show something else; audit rows and token changes do not change it. */
export function refreshesTray(event: AdminEvent): boolean {
  switch (event.type) {
    case 'lock.changed':
    case 'agents.paused':
    case 'approval.requested':
    case 'approval.decided':
    case 'device.requested':
    case 'device.decided':
      return true;
    default:
      return false;
  }
}
