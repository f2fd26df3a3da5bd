import { BrowserWindow } from 'electron';
import type { AppPaths } from './app-paths.js';
import { mainWindowOptions } from './window-options.js';

export function createMainWindow(paths: AppPaths): BrowserWindow {
  const window = new BrowserWindow(mainWindowOptions(paths.preload));
  window.once('ready-to-show', () => window.show());
  if ('url' in paths.renderer) void window.loadURL(paths.renderer.url);
  else void window.loadFile(paths.renderer.file);
  return window;
}

export function focusWindow(window: BrowserWindow | undefined): void {
  if (window === undefined || window.isDestroyed()) return;
  if (window.isMinimized()) window.restore();
  window.show();
  window.focus();
}
