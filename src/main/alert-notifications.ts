/**
 * Desktop notifications for tripwire alerts, as plain data. Where the OS shows buttons on a
 * notification (macOS, Windows) they are Revoke and Pause, for the token that tripped; a click on
 * the body (and on Linux, where there are no buttons) opens the Alerts page, which has both.
 * Revoking and pausing only make things safer, so a click is enough (no grant).
 */
import type { AdminMethod } from '../shared/admin-api.js';
import { alertRowsOf, describeAlert } from '../shared/alert-text.js';
import type { AdminEvent } from '../shared/model.js';
import { oneLine } from './display-text.js';
import { PLATFORMS_WITH_NOTIFICATION_BUTTONS, type NotificationButton } from './notifications.js';

export interface AlertNotification {
  readonly title: string;
  readonly body: string;
  readonly actions: readonly NotificationButton[];
  /** The token that tripped; null when the alert names none. */
  readonly tokenId: string | null;
  /** The alert's audit row. */
  readonly seq: number;
}

export type AlertChoice = 'revoke' | 'pause' | 'open';

const BUTTONS: readonly (readonly [Exclude<AlertChoice, 'open'>, string])[] = [
  ['revoke', 'Revoke'],
  ['pause', 'Pause'],
];

/** The Alerts page's route in the main window. */
export const ALERTS_ROUTE = '/alerts';

export function alertNotificationsFor(event: AdminEvent, platform: NodeJS.Platform): AlertNotification[] {
  if (event.type !== 'audit.appended') return [];
  const buttons = PLATFORMS_WITH_NOTIFICATION_BUTTONS.includes(platform);
  return alertRowsOf(event.rows).map((row) => {
    const text = describeAlert(row);
    // A token the tripwire already revoked has nothing left to revoke or pause.
    const stoppable = row.tokenId !== null && row.detail?.['done'] !== 'revoked';
    return {
      title: oneLine(text.title, 120),
      body: oneLine(text.body, 240),
      actions: buttons && stoppable ? BUTTONS.map(([, label]) => ({ type: 'button' as const, text: label })) : [],
      tokenId: row.tokenId,
      seq: row.seq,
    };
  });
}

export function alertChoice(actionIndex: number | undefined): AlertChoice {
  if (actionIndex === undefined) return 'open';
  return BUTTONS[actionIndex]?.[0] ?? 'open';
}

export type AlertOutcome =
  | { readonly kind: 'admin'; readonly method: Extract<AdminMethod, 'revokeToken' | 'pauseToken'>; readonly params: { readonly tokenId: string } }
  | { readonly kind: 'show-main'; readonly route: string };

export function onAlertAction(choice: AlertChoice, tokenId: string | null): AlertOutcome {
  if (choice === 'open' || tokenId === null) return { kind: 'show-main', route: ALERTS_ROUTE };
  return { kind: 'admin', method: choice === 'revoke' ? 'revokeToken' : 'pauseToken', params: { tokenId } };
}
