/**
 * Native notifications for requests that wait on the person, as plain data. Where the OS shows
 * buttons on a notification (macOS, Windows) they are Approve and Deny; elsewhere (Linux) a click
 * opens the prompt window, which shows everything and offers all three choices.
 */
import type { AdminMethod } from '../shared/admin-api.js';
import type { AdminEvent, ApprovalInfo, DeviceRequestInfo } from '../shared/model.js';
import { formatLifespan, oneLine } from './display-text.js';
import type { PromptTarget } from './prompt-target.js';

export interface NotificationButton {
  readonly type: 'button';
  readonly text: string;
}

export interface NotificationSpec {
  readonly title: string;
  readonly body: string;
  /** In this order, so Electron's actionIndex maps back through NOTIFICATION_CHOICES. */
  readonly actions: readonly NotificationButton[];
  readonly target: PromptTarget;
}

/** What the person chose on a notification: a button, or a click on its body. */
export type NotificationChoice = 'approve' | 'deny' | 'open';

const BUTTONS: readonly (readonly [Exclude<NotificationChoice, 'open'>, string])[] = [
  ['approve', 'Approve'],
  ['deny', 'Deny'],
];

export const PLATFORMS_WITH_NOTIFICATION_BUTTONS: readonly NodeJS.Platform[] = ['darwin', 'win32'];

const MAX_NAME = 40;
const MAX_REASON = 140;

export function notificationFor(event: AdminEvent, platform: NodeJS.Platform): NotificationSpec | undefined {
  const actions = PLATFORMS_WITH_NOTIFICATION_BUTTONS.includes(platform) ? BUTTONS.map(([, text]) => ({ type: 'button' as const, text })) : [];
  if (event.type === 'approval.requested' && event.approval.status === 'pending') {
    return { ...approvalText(event.approval), actions, target: { kind: 'approval', id: event.approval.id } };
  }
  if (event.type === 'device.requested' && event.request.status === 'pending') {
    return { ...deviceText(event.request), actions, target: { kind: 'device', id: event.request.id } };
  }
  return undefined;
}

function approvalText(a: ApprovalInfo): { title: string; body: string } {
  const where = [a.vaultName ?? a.vaultId, a.entryTitle, a.field].filter((p): p is string => p !== null).join(' / ');
  const title = `${oneLine(a.agent, MAX_NAME)} wants to ${a.action} ${oneLine(where, MAX_NAME * 2)}`;
  const lines = [reasonLine(a.reason), keyLine(a.keyThumbprint, a.tokenOrigin === 'device')];
  return { title, body: lines.join('\n') };
}

function deviceText(r: DeviceRequestInfo): { title: string; body: string } {
  const vaults = r.vaults.map((v) => v.name ?? v.ref).join(', ');
  const title = `${oneLine(r.clientName, MAX_NAME)} asks for a key`;
  const scope = `Code ${oneLine(r.userCode, 12)}: ${r.actions.join(' and ')} ${oneLine(vaults, MAX_NAME * 2)} for ${formatLifespan(r.lifespanSeconds)}`;
  return { title, body: [scope, reasonLine(r.reason), keyLine(r.keyThumbprint, true)].join('\n') };
}

function reasonLine(reason: string | null): string {
  return reason === null || reason.trim() === '' ? 'No reason given' : `Reason: “${oneLine(reason, MAX_REASON)}”`;
}

function keyLine(thumbprint: string | null, claimed: boolean): string {
  // A device-flow name is the agent's claim (a token made in the app was named by the person); the key is what the token is bound to.
  const key = thumbprint === null ? undefined : `Key ${thumbprint.slice(0, 12)}…`;
  if (!claimed) return key ?? 'Bearer token (not bound to a key)';
  return key === undefined ? 'Name claimed by the agent' : `${key}, name claimed by the agent`;
}

/** Electron's action index (or a click on the body) as a choice; an index we never offered opens the prompt. */
export function notificationChoice(actionIndex: number | undefined): NotificationChoice {
  if (actionIndex === undefined) return 'open';
  return BUTTONS[actionIndex]?.[0] ?? 'open';
}

export type NotificationOutcome =
  | { readonly kind: 'admin'; readonly method: Extract<AdminMethod, 'decideApproval' | 'decideDeviceRequest'>; readonly params: Record<string, unknown> }
  | { readonly kind: 'show-prompt'; readonly target: PromptTarget };

/**
 * What a choice on a notification does. Approve is "allow once" (or the device request as asked):
 * anything longer or narrower needs the prompt, where the person sees every detail.
 */
export function onNotificationAction(choice: NotificationChoice, target: PromptTarget): NotificationOutcome {
  if (choice === 'open') return { kind: 'show-prompt', target };
  if (target.kind === 'approval') {
    return { kind: 'admin', method: 'decideApproval', params: { approvalId: target.id, decision: choice === 'approve' ? 'allow_once' : 'deny' } };
  }
  return { kind: 'admin', method: 'decideDeviceRequest', params: { requestId: target.id, decision: choice } };
}

/**
 * At most `max` notifications per window: a flood of requests must not bury the screen. The
 * tray badge and the Approvals page still count every one. Returns the kept timestamps.
 */
export function allowNotification(
  recent: readonly number[],
  now: number,
  max = 5,
  windowMs = 60_000,
): { readonly allowed: boolean; readonly recent: readonly number[] } {
  const kept = recent.filter((t) => now - t < windowMs);
  if (kept.length >= max) return { allowed: false, recent: kept };
  return { allowed: true, recent: [...kept, now] };
}
