import type { BrowserWindowConstructorOptions, WebPreferences } from 'electron';

/**
 * The renderer gets no Node, runs in Chromium's sandbox, and sees the main world only through
 * the preload's contextBridge. Never relax one of these for convenience (no `sandbox: false`):
 * the renderer shows what agents wrote (names, reasons), so it must hold nothing worth taking.
 */
export function secureWebPreferences(preloadPath: string): WebPreferences {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    experimentalFeatures: false,
    navigateOnDragDrop: false,
    safeDialogs: true,
    spellcheck: false,
  };
}

export function mainWindowOptions(preloadPath: string): BrowserWindowConstructorOptions {
  return {
    title: 'Valetkey',
    width: 1120,
    height: 760,
    minWidth: 720,
    minHeight: 480,
    // Shown on 'ready-to-show' so the person never sees an empty white frame.
    show: false,
    backgroundColor: '#0f172a',
    webPreferences: secureWebPreferences(preloadPath),
  };
}

export const PROMPT_WINDOW_SIZE = { width: 440, height: 560 } as const;

/**
 * The approval prompt: small, always on top, same locked-down page as the main window. It is
 * shown without taking focus (prompt-windows.ts), so a keystroke meant for another app cannot
 * answer it.
 */
export function promptWindowOptions(preloadPath: string, bounds: { readonly x: number; readonly y: number }): BrowserWindowConstructorOptions {
  return {
    title: 'Valetkey: a request is waiting',
    ...PROMPT_WINDOW_SIZE,
    x: bounds.x,
    y: bounds.y,
    show: false,
    alwaysOnTop: true,
    resizable: false,
    minimizable: false,
    maximizable: false,
    fullscreenable: false,
    backgroundColor: '#0f172a',
    webPreferences: secureWebPreferences(preloadPath),
  };
}

export interface Rect {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** Top-right of the screen's work area, each further prompt stepped down and left so none hides another. */
export function promptPosition(workArea: Rect, index: number): { readonly x: number; readonly y: number } {
  const margin = 16;
  const step = 28 * Math.max(0, index);
  const x = workArea.x + Math.max(0, workArea.width - PROMPT_WINDOW_SIZE.width - margin - step);
  const y = workArea.y + Math.min(margin + step, Math.max(0, workArea.height - PROMPT_WINDOW_SIZE.height));
  return { x, y };
}
