/**
 * The shell's behaviour in one place, without Electron: engine events open prompts and
 * notifications and refresh the tray; tray and notification clicks become engine calls, windows
 * or settings. Electron sits behind `ShellPorts` (shell-ports.ts), so this runs in tests against
 * a real engine.
 */
import type { AdminDispatcher } from '../shared/admin-api.js';
import { isVkError } from '../shared/errors.js';
import type { AdminEvent } from '../shared/model.js';
import type { DesktopSettings } from './desktop-settings.js';
import { UNKNOWN_SNAPSHOT, loadEngineSnapshot, refreshesTray, type EngineSnapshot } from './engine-snapshot.js';
import { alertChoice, alertNotificationsFor, onAlertAction, type AlertNotification } from './alert-notifications.js';
import { allowNotification, notificationChoice, notificationFor, onNotificationAction, type NotificationSpec } from './notifications.js';
import type { PersonCaller } from './person-caller.js';
import { promptChange, type PromptTarget } from './prompt-target.js';
import { trayActionEffect, type ShellEffect } from './tray-actions.js';
import { trayBadge, trayMenuModel, type TrayAction, type TrayItem, type TrayState } from './tray-menu.js';

export interface ShellPorts {
  renderTray(items: readonly TrayItem[], badge: ReturnType<typeof trayBadge>): void;
  showMain(route: string | undefined): void;
  /** `automatic`: opened by an engine event, not by a click (prompt windows may cap those). */
  showPrompt(target: PromptTarget, automatic: boolean): void;
  closePrompt(target: PromptTarget): void;
  notify(spec: NotificationSpec): void;
  notifyAlert(alert: AlertNotification): void;
  closeNotification(target: PromptTarget): void;
  /** Resolves to let a settings change that protects less go through; throws VkError to refuse. */
  confirmLoosening(current: DesktopSettings, next: DesktopSettings): Promise<void>;
  applyLaunchAtLogin(enabled: boolean): void;
  saveSettings(settings: DesktopSettings): void;
  quit(): void;
  /** Tell the person something did not work. Never given a secret: VkError messages are fixed sentences. */
  report(title: string, message: string): void;
}

export interface ShellControllerDeps {
  readonly dispatch: AdminDispatcher;
  readonly person: PersonCaller;
  readonly ports: ShellPorts;
  readonly settings: DesktopSettings;
  readonly platform: NodeJS.Platform;
  readonly touchIdAvailable: boolean;
  readonly clock?: () => number;
}

export class ShellController {
  private snapshot: EngineSnapshot = UNKNOWN_SNAPSHOT;
  private current: DesktopSettings;
  private recentNotifications: readonly number[] = [];
  private refreshes = 0;

  constructor(private readonly deps: ShellControllerDeps) {
    this.current = deps.settings;
  }

  get settings(): DesktopSettings {
    return this.current;
  }

  get locked(): boolean {
    return this.snapshot.locked;
  }

  trayState(): TrayState {
    return { ...this.snapshot, settings: this.current, platform: this.deps.platform, touchIdAvailable: this.deps.touchIdAvailable };
  }

  async refresh(): Promise<void> {
    // Refreshes overlap when events arrive in bursts; only the newest answer may be shown.
    const ticket = ++this.refreshes;
    const snapshot = await loadEngineSnapshot(this.deps.dispatch);
    if (ticket !== this.refreshes) return;
    this.snapshot = snapshot;
    this.render();
  }

  /** Engine events: prompts open and close with their requests; a notification for each new one. */
  handleEvent(event: AdminEvent): void {
    const { open, close } = promptChange(event);
    if (close !== undefined) {
      this.deps.ports.closePrompt(close);
      this.deps.ports.closeNotification(close);
    }
    if (open !== undefined) this.deps.ports.showPrompt(open, true);
    const spec = notificationFor(event, this.deps.platform);
    if (spec !== undefined) this.notify(spec);
    for (const alert of alertNotificationsFor(event, this.deps.platform)) this.notify(alert);
    if (refreshesTray(event)) void this.refresh();
  }

  /** Revoke or Pause on an alert's notification; a click on its body opens the Alerts page. */
  async handleAlertNotification(alert: AlertNotification, actionIndex: number | undefined): Promise<void> {
    const outcome = onAlertAction(alertChoice(actionIndex), alert.tokenId);
    if (outcome.kind === 'show-main') {
      this.deps.ports.showMain(outcome.route);
      return;
    }
    await this.call(outcome.method, outcome.params, 'The token was not stopped');
  }

  async handleTrayAction(action: TrayAction): Promise<void> {
    await this.apply(trayActionEffect(action, this.current));
  }

  /** `actionIndex` undefined: the body was clicked. */
  async handleNotification(target: PromptTarget, actionIndex: number | undefined): Promise<void> {
    const outcome = onNotificationAction(notificationChoice(actionIndex), target);
    if (outcome.kind === 'show-prompt') {
      this.deps.ports.showPrompt(outcome.target, false);
      return;
    }
    await this.call(outcome.method, outcome.params, 'The request was not decided');
  }

  private notify(spec: NotificationSpec | AlertNotification): void {
    const now = (this.deps.clock ?? Date.now)();
    const { allowed, recent } = allowNotification(this.recentNotifications, now);
    this.recentNotifications = recent;
    if (!allowed) return;
    if ('target' in spec) this.deps.ports.notify(spec);
    else this.deps.ports.notifyAlert(spec);
  }

  private async apply(effect: ShellEffect): Promise<void> {
    const { ports } = this.deps;
    switch (effect.kind) {
      case 'admin':
        await this.call(effect.method, {}, 'That did not work');
        return;
      case 'show-main':
        ports.showMain(effect.route);
        return;
      case 'show-prompt':
        ports.showPrompt(effect.target, false);
        return;
      case 'settings':
        await this.changeSettings(effect.next);
        return;
      case 'quit':
        ports.quit();
        return;
    }
  }

  private async call(method: Parameters<PersonCaller>[0], params: Record<string, unknown>, failure: string): Promise<void> {
    try {
      await this.deps.person(method, params);
    } catch (e) {
      this.deps.ports.report(failure, isVkError(e) ? e.message : 'Valetkey hit an unexpected error.');
    }
    await this.refresh();
  }

  private async changeSettings(next: DesktopSettings): Promise<void> {
    const { ports } = this.deps;
    try {
      await ports.confirmLoosening(this.current, next);
      if (next.launchAtLogin !== this.current.launchAtLogin) ports.applyLaunchAtLogin(next.launchAtLogin);
      ports.saveSettings(next);
      this.current = next;
    } catch (e) {
      ports.report('The setting was not changed', isVkError(e) ? e.message : 'It could not be saved.');
    }
    this.render();
  }

  private render(): void {
    const state = this.trayState();
    this.deps.ports.renderTray(trayMenuModel(state), trayBadge(state));
  }
}
