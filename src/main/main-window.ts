import { BrowserWindow } from 'electron';
import type { AppPaths } from './app-paths.js';
import { mainWindowOptions } from './window-options.js';

export function createMainWindow(paths: AppPaths, options: { readonly show?: boolean; readonly route?: string } = {}): BrowserWindow {
  const window = new BrowserWindow(mainWindowOptions(paths.preload));
  if (options.show ?? true) window.once('ready-to-show', () => window.show());
  loadRenderer(window, paths, options.route);
  return window;
}

/** Loads our page, at a hash route when given (without its '#'). */
export function loadRenderer(window: BrowserWindow, paths: AppPaths, route: string | undefined): void {
  if ('url' in paths.renderer) void window.loadURL(route === undefined ? paths.renderer.url : `${paths.renderer.url}#${route}`);
  else void window.loadFile(paths.renderer.file, route === undefined ? {} : { hash: route });
}

export function focusWindow(window: BrowserWindow | undefined): void {
  if (window === undefined || window.isDestroyed()) return;
  if (window.isMinimized()) window.restore();
  window.show();
  window.focus();
}

/** The one main window: made on first show, made again after the person closed it (the tray keeps the app running). */
export class MainWindow {
  private window: BrowserWindow | undefined;

  constructor(private readonly paths: AppPaths) {}

  show(route?: string): void {
    if (this.window === undefined || this.window.isDestroyed()) {
      this.window = createMainWindow(this.paths, route === undefined ? {} : { route });
      return;
    }
    if (route !== undefined) loadRenderer(this.window, this.paths, route);
    focusWindow(this.window);
  }
}
