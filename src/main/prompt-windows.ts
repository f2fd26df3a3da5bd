import { BrowserWindow, screen } from 'electron';
import type { AppPaths } from './app-paths.js';
import { focusWindow, loadRenderer } from './main-window.js';
import { promptOpenDecision } from './prompt-policy.js';
import { promptKey, promptRoute, type PromptTarget } from './prompt-target.js';
import { promptPosition, promptWindowOptions } from './window-options.js';

/** The always-on-top prompt windows, one per request, each at the renderer's `#/prompt/…` route. */
export class PromptWindows {
  private readonly windows = new Map<string, BrowserWindow>();

  constructor(private readonly paths: AppPaths) {}

  show(target: PromptTarget, automatic: boolean): void {
    const key = promptKey(target);
    const decision = promptOpenDecision(new Set(this.windows.keys()), target, automatic);
    if (decision === 'skip') return;
    if (decision === 'focus') {
      focusWindow(this.windows.get(key));
      return;
    }
    const position = promptPosition(screen.getPrimaryDisplay().workArea, this.windows.size);
    const window = new BrowserWindow(promptWindowOptions(this.paths.preload, position));
    this.windows.set(key, window);
    window.on('closed', () => {
      if (this.windows.get(key) === window) this.windows.delete(key);
    });
    // A prompt the engine raised appears without focus: typing in another app must not answer it.
    window.once('ready-to-show', () => (automatic ? window.showInactive() : window.show()));
    loadRenderer(window, this.paths, promptRoute(target));
  }

  close(target: PromptTarget): void {
    const window = this.windows.get(promptKey(target));
    if (window !== undefined && !window.isDestroyed()) window.close();
  }
}
