/**
 * ShellPorts made of Electron: the only place the controller's requests meet real windows,
 * notifications, files and the login-item API.
 */
import { app } from 'electron';
import { saveDesktopSettings, type DesktopSettings } from './desktop-settings.js';
import { setLaunchAtLogin, type LaunchAtLoginDeps } from './launch-at-login.js';
import type { MainWindow } from './main-window.js';
import type { NotificationCenter } from './notification-center.js';
import type { PromptWindows } from './prompt-windows.js';
import type { ShellPorts } from './shell-controller.js';
import { confirmSettingsChange, type TouchIdPort } from './touch-id.js';
import type { ShellTray } from './tray.js';

export interface ElectronShellParts {
  readonly main: MainWindow;
  readonly prompts: PromptWindows;
  readonly notifications: NotificationCenter;
  /** Undefined where the desktop has no tray. */
  readonly tray: ShellTray | undefined;
  readonly settingsFile: string;
  readonly launchAtLogin: LaunchAtLoginDeps;
  readonly touchId: TouchIdPort | undefined;
  /** Called after the settings were saved, so the grant gate reads the new ones. */
  readonly onSettings: (settings: DesktopSettings) => void;
}

export function electronShellPorts(parts: ElectronShellParts): ShellPorts {
  return {
    renderTray: (items, badge) => parts.tray?.render(items, badge),
    showMain: (route) => parts.main.show(route),
    showPrompt: (target, automatic) => parts.prompts.show(target, automatic),
    closePrompt: (target) => parts.prompts.close(target),
    notify: (spec) => parts.notifications.show(spec),
    notifyAlert: (alert) => parts.notifications.showAlert(alert),
    closeNotification: (target) => parts.notifications.close(target),
    confirmLoosening: (current, next) => confirmSettingsChange(current, next, parts.launchAtLogin.platform, parts.touchId),
    applyLaunchAtLogin: (enabled) => setLaunchAtLogin(enabled, parts.launchAtLogin),
    saveSettings: (settings) => {
      saveDesktopSettings(parts.settingsFile, settings);
      parts.onSettings(settings);
    },
    quit: () => app.quit(),
    report: (title, message) => parts.notifications.tell(title, message),
  };
}
