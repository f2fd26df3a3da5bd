/**
 * Wires the shell in order, Bitwarden-style: no container, one place. Every decision lives in a
 * plain function elsewhere in this folder; this file only connects Electron to them.
 */
import { BrowserWindow, app, ipcMain, session } from 'electron';
import { ADMIN_IPC } from '../shared/admin-api.js';
import type { AdminEvent } from '../shared/model.js';
import { appPaths } from './app-paths.js';
import { startEngine } from './engine-host.js';
import { registerAdminIpc } from './ipc-bridge.js';
import { createMainWindow, focusWindow } from './main-window.js';
import { guardSession, guardWebContents } from './web-contents-guard.js';

export async function bootstrap(): Promise<void> {
  // Sandbox every renderer, including any a future module forgets to configure.
  app.enableSandbox();
  const paths = appPaths(import.meta.dirname, app.isPackaged ? undefined : process.env['ELECTRON_RENDERER_URL']);
  app.on('web-contents-created', (_event, contents) => guardWebContents(contents, paths.appOrigin));
  await app.whenReady();

  guardSession(session.defaultSession);
  const engine = startEngine(paths.engineEntry);
  registerAdminIpc(ipcMain, engine.client.dispatch, paths.appOrigin);
  engine.client.events(broadcast);

  let window = createMainWindow(paths);
  app.on('second-instance', () => focusWindow(window));
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) window = createMainWindow(paths);
  });
  // Until the tray arrives (desktop-app issue), closing the last window quits.
  app.on('window-all-closed', () => app.quit());
  app.on('will-quit', () => engine.stop());
}

function broadcast(event: AdminEvent): void {
  for (const window of BrowserWindow.getAllWindows()) {
    if (!window.isDestroyed()) window.webContents.send(ADMIN_IPC.events, event);
  }
}
