import { Notification } from 'electron';
import type { AlertNotification } from './alert-notifications.js';
import type { NotificationSpec } from './notifications.js';
import { promptKey, type PromptTarget } from './prompt-target.js';

export type NotificationHandler = (target: PromptTarget, actionIndex: number | undefined) => void;
export type AlertNotificationHandler = (alert: AlertNotification, actionIndex: number | undefined) => void;

/**
 * Native notifications: Electron glue for notifications.ts. A click or a button press is
 * delivered by the OS to this process only, for a notification we showed: a person's answer.
 */
export class NotificationCenter {
  // Held so the notification (and its click handlers) is not collected while on screen.
  private readonly shown = new Map<string, Notification>();

  constructor(
    private readonly onChoice: NotificationHandler,
    private readonly onAlert: AlertNotificationHandler = () => undefined,
  ) {}

  /** A tripwire alert: held until closed like a prompt's, its buttons delivered to `onAlert`. */
  showAlert(alert: AlertNotification): void {
    if (!Notification.isSupported()) return;
    const key = `alert:${alert.seq}`;
    const notification = new Notification({ title: alert.title, body: alert.body, actions: [...alert.actions], urgency: 'critical' });
    notification.on('click', () => this.onAlert(alert, undefined));
    notification.on('action', (details, index) => this.onAlert(alert, details.actionIndex ?? index));
    notification.on('close', () => this.shown.delete(key));
    this.shown.set(key, notification);
    notification.show();
  }

  show(spec: NotificationSpec): void {
    if (!Notification.isSupported()) return;
    const key = promptKey(spec.target);
    this.close(spec.target);
    const notification = new Notification({ title: spec.title, body: spec.body, actions: [...spec.actions], urgency: 'critical' });
    notification.on('click', () => this.onChoice(spec.target, undefined));
    notification.on('action', (details, index) => this.onChoice(spec.target, details.actionIndex ?? index));
    notification.on('close', () => {
      if (this.shown.get(key) === notification) this.shown.delete(key);
    });
    this.shown.set(key, notification);
    notification.show();
  }

  close(target: PromptTarget): void {
    this.shown.get(promptKey(target))?.close();
  }

  /** A short message to the person (a refused action); falls back to the log where notifications are off. */
  tell(title: string, body: string): void {
    if (Notification.isSupported()) new Notification({ title, body }).show();
    else console.error(`valetkey: ${title}: ${body}`);
  }
}
