/**
 * Every AdminEvent type, at run time: an EventSource hears only the named events it subscribes
 * to. The Record type makes the compiler insist the list covers the union, so a new event type in
 * model.ts cannot be silently missed by the browser dashboard.
 */
import type { AdminEventType } from '../../shared/model.js';

const ALL: Readonly<Record<AdminEventType, true>> = {
  'audit.appended': true,
  'lock.changed': true,
  'agents.paused': true,
  'vaults.changed': true,
  'tokens.changed': true,
  'approval.requested': true,
  'approval.decided': true,
  'device.requested': true,
  'device.decided': true,
  'device.bound': true,
};

export const ADMIN_EVENT_TYPES = Object.keys(ALL) as AdminEventType[];

export function isAdminEventType(value: string): value is AdminEventType {
  return Object.hasOwn(ALL, value);
}
