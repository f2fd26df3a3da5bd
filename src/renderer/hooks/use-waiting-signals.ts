import { useEffect, useRef } from 'react';
import { inElectron } from '../api/admin.js';
import { badgeIcon, shouldNotify, waitingTitle } from '../lib/waiting-signals.js';

function setTabIcon(href: string): void {
  let link = document.querySelector<HTMLLinkElement>('link[rel="icon"]');
  if (link === null) {
    link = document.createElement('link');
    link.rel = 'icon';
    document.head.appendChild(link);
  }
  link.href = href;
}

/**
 * Browser only (the desktop app has its tray badge and system notifications): title, tab icon,
 * and a silent Notification when a new request arrives, if the person allowed them.
 */
export function useWaitingSignals(pending: number): void {
  const previous = useRef(0);
  useEffect(() => {
    if (inElectron) return;
    document.title = waitingTitle(pending);
    setTabIcon(badgeIcon(pending));
    if (shouldNotify(previous.current, pending) && typeof Notification !== 'undefined' && Notification.permission === 'granted') {
      const note = new Notification('Valetkey: an agent is waiting for you', { body: 'Open Approvals to allow or deny it.', silent: true, tag: 'valetkey-pending' });
      note.onclick = () => {
        window.focus();
        window.location.hash = '#/approvals';
      };
    }
    previous.current = pending;
  }, [pending]);
}

/** True when the browser can still be asked to allow notifications (asked once, from a click). */
export function canAskForNotifications(): boolean {
  return !inElectron && typeof Notification !== 'undefined' && Notification.permission === 'default';
}
