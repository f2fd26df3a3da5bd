/**
 * Wires the shell in order, Bitwarden-style: no container, one place. Every decision lives in a
 * plain function elsewhere in this folder; this file only connects Electron to them.
 */
import { homedir } from 'node:os';
import { BrowserWindow, app, ipcMain, powerMonitor, session, systemPreferences } from 'electron';
import { ADMIN_IPC } from '../shared/admin-api.js';
import type { AdminEvent } from '../shared/model.js';
import { appPaths, type AppPaths } from './app-paths.js';
import { engineLocker, startAutoLock, type PowerPort } from './auto-lock.js';
import { desktopSettingsPath, loadDesktopSettings } from './desktop-settings.js';
import { startEngine, type EngineHost } from './engine-host.js';
import { registerAdminIpc } from './ipc-bridge.js';
import { autostartPath, launchCommand, setLaunchAtLogin, startsHidden, type LaunchAtLoginDeps } from './launch-at-login.js';
import { MainWindow } from './main-window.js';
import { NotificationCenter } from './notification-center.js';
import { createPersonCaller } from './person-caller.js';
import { PromptWindows } from './prompt-windows.js';
import { ShellController } from './shell-controller.js';
import { electronShellPorts } from './shell-ports.js';
import { createGrantGate, type TouchIdPort } from './touch-id.js';
import { createShellTray, type ShellTray } from './tray.js';
import { guardSession, guardWebContents } from './web-contents-guard.js';

/** Pending approvals time out in the engine; the tray re-reads at least this often. */
const TRAY_REFRESH_MS = 30_000;

export async function bootstrap(): Promise<void> {
  // Sandbox every renderer, including any a future module forgets to configure.
  app.enableSandbox();
  const paths = appPaths(import.meta.dirname, app.isPackaged ? undefined : process.env['ELECTRON_RENDERER_URL']);
  app.on('web-contents-created', (_event, contents) => guardWebContents(contents, paths.appOrigin));
  await app.whenReady();

  guardSession(session.defaultSession, paths.appOrigin);
  const engine = startEngine(paths.engineEntry);
  const shell = startShell(paths, engine);

  app.on('second-instance', () => shell.main.show());
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) shell.main.show();
  });
  // With a tray the app lives on after its last window closes; without one, closing quits.
  app.on('window-all-closed', () => {
    if (shell.tray === undefined) app.quit();
  });
  app.on('will-quit', () => {
    shell.stop();
    engine.stop();
  });
}

interface RunningShell {
  readonly main: MainWindow;
  readonly tray: ShellTray | undefined;
  stop(): void;
}

function startShell(paths: AppPaths, engine: EngineHost): RunningShell {
  const platform = process.platform;
  const settingsFile = desktopSettingsPath({ valetkeyHome: process.env['VALETKEY_HOME'], userData: app.getPath('userData') });
  let settings = loadDesktopSettings(settingsFile);
  const touchId: TouchIdPort | undefined = platform === 'darwin' ? systemPreferences : undefined;
  const gate = createGrantGate({ platform, settings: () => settings, touchId });
  registerAdminIpc(ipcMain, engine.client.dispatch, paths.appOrigin, gate);

  const main = new MainWindow(paths);
  const launchAtLogin = launchAtLoginDeps(platform);
  // Clicks arrive only after start-up, when `controller` below exists.
  const tray = createTrayOrNothing(platform, (action) => void controller.handleTrayAction(action));
  const notifications = new NotificationCenter(
    (target, index) => void controller.handleNotification(target, index),
    (alert, index) => void controller.handleAlertNotification(alert, index),
  );
  const ports = electronShellPorts({
    main,
    prompts: new PromptWindows(paths),
    notifications,
    tray,
    settingsFile,
    launchAtLogin,
    touchId,
    onSettings: (next) => (settings = next),
  });
  const controller = new ShellController({
    dispatch: engine.client.dispatch,
    person: createPersonCaller(engine.client.dispatch, gate),
    ports,
    settings,
    platform,
    touchIdAvailable: touchId?.canPromptTouchID() ?? false,
  });
  engine.client.events((event) => {
    broadcast(event);
    controller.handleEvent(event);
  });
  syncLaunchAtLogin(settings.launchAtLogin, launchAtLogin);
  const stops = [startAutoLockFor(controller, engine), every(TRAY_REFRESH_MS, () => void controller.refresh())];
  void controller.refresh();
  const openedAtLogin = platform === 'darwin' && app.getLoginItemSettings().wasOpenedAtLogin;
  if (!startsHidden(process.argv, openedAtLogin) || tray === undefined) main.show();
  return { main, tray, stop: () => stops.forEach((stop) => stop()) };
}

function startAutoLockFor(controller: ShellController, engine: EngineHost): () => void {
  return startAutoLock({
    power: electronPower(),
    settings: () => controller.settings,
    isLocked: () => controller.locked,
    lock: engineLocker(engine.client.dispatch),
  });
}

function electronPower(): PowerPort {
  return {
    idleSeconds: () => powerMonitor.getSystemIdleTime(),
    // How Linux reports a locked screen: it has no 'lock-screen' event.
    screenLocked: () => powerMonitor.getSystemIdleState(1) === 'locked',
    onSuspend: (listener) => {
      powerMonitor.on('suspend', listener);
      return () => powerMonitor.off('suspend', listener);
    },
    onLockScreen: (listener) => {
      powerMonitor.on('lock-screen', listener);
      return () => powerMonitor.off('lock-screen', listener);
    },
  };
}

function launchAtLoginDeps(platform: NodeJS.Platform): LaunchAtLoginDeps {
  return {
    platform,
    command: launchCommand({ execPath: process.execPath, isPackaged: app.isPackaged, appPath: app.getAppPath(), appImage: process.env['APPIMAGE'] }),
    autostartFile: autostartPath(process.env, homedir()),
    loginItems: app,
  };
}

/** Re-written at each start while on: the program may have moved (an AppImage, an update). */
function syncLaunchAtLogin(enabled: boolean, deps: LaunchAtLoginDeps): void {
  if (!enabled) return;
  try {
    setLaunchAtLogin(true, deps);
  } catch (e) {
    console.error(`valetkey: could not renew the login item (${e instanceof Error ? e.message : typeof e})`);
  }
}

function createTrayOrNothing(platform: NodeJS.Platform, onAction: Parameters<typeof createShellTray>[1]): ShellTray | undefined {
  try {
    return createShellTray(platform, onAction);
  } catch (e) {
    console.error(`valetkey: no tray icon on this desktop (${e instanceof Error ? e.message : typeof e}); closing the window quits`);
    return undefined;
  }
}

function every(ms: number, tick: () => void): () => void {
  const timer = setInterval(tick, ms);
  return () => clearInterval(timer);
}

function broadcast(event: AdminEvent): void {
  for (const window of BrowserWindow.getAllWindows()) {
    if (!window.isDestroyed()) window.webContents.send(ADMIN_IPC.events, event);
  }
}
