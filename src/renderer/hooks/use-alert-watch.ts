/**
 * Unseen tripwire alerts, counted from the engine's event stream as they are written, so the
 * person learns within a second: the navigation badge, and in the browser dashboard the tab's
 * title, favicon and (when allowed) a system notification. The desktop app notifies from the tray.
 */
import { useEffect, useSyncExternalStore } from 'react';
import { alertRowsOf, describeAlert } from '../../shared/alert-text.js';
import { inElectron } from '../api/admin.js';
import { alertFavicon, alertTitle, shouldNotify } from '../lib/alert-signals.js';
import { useAdminEvent } from './use-admin-event.js';

let unseen = 0;
const listeners = new Set<() => void>();

function setUnseen(n: number): void {
  unseen = n;
  for (const l of listeners) l();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function useUnseenAlerts(): number {
  return useSyncExternalStore(subscribe, () => unseen);
}

/** The Alerts page calls this when it is shown. */
export function markAlertsSeen(): void {
  setUnseen(0);
}

function notificationPermission(): NotificationPermission | 'unsupported' {
  return typeof Notification === 'undefined' ? 'unsupported' : Notification.permission;
}

/** Mounted once, for the whole dashboard. */
export function useAlertWatch(): void {
  const count = useUnseenAlerts();
  useAdminEvent(
    ['audit.appended'],
    (event) => {
      if (event?.type !== 'audit.appended') return;
      const alerts = alertRowsOf(event.rows);
      if (alerts.length === 0) return;
      setUnseen(unseen + alerts.length);
      if (!inElectron && shouldNotify(notificationPermission())) {
        for (const row of alerts) {
          const text = describeAlert(row);
          new Notification(text.title, { body: text.body, tag: `valetkey-alert-${row.seq}` });
        }
      }
    },
    false,
  );
  useEffect(() => {
    if (inElectron) return;
    document.title = alertTitle(count);
    let link = document.querySelector<HTMLLinkElement>('link[rel="icon"]');
    if (link === null) {
      link = document.createElement('link');
      link.rel = 'icon';
      document.head.append(link);
    }
    link.href = alertFavicon(count);
  }, [count]);
}
