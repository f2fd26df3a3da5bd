import { describe, expect, it } from 'vitest';
import { PROMPT_WINDOW_SIZE, mainWindowOptions, promptPosition, promptWindowOptions, secureWebPreferences } from '../../src/main/window-options.js';

describe('secureWebPreferences', () => {
  const prefs = secureWebPreferences('/app/out/preload/index.cjs');

  it('isolates, sandboxes and keeps Node out of the page', () => {
    expect(prefs).toMatchObject({
      preload: '/app/out/preload/index.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
    });
  });

  it('sets no option that loosens security', () => {
    const risky = ['enableBlinkFeatures', 'additionalArguments', 'disableBlinkFeatures', 'partition', 'session'];
    for (const key of risky) expect(prefs).not.toHaveProperty(key);
  });

  it('is what the main window uses', () => {
    const options = mainWindowOptions('/p.cjs');
    expect(options.webPreferences).toEqual(secureWebPreferences('/p.cjs'));
    expect(options.title).toBe('Valetkey');
    expect(options.show).toBe(false);
  });
});

describe('promptWindowOptions', () => {
  const options = promptWindowOptions('/p.cjs', { x: 10, y: 20 });

  it('has exactly the main window’s secure preferences', () => {
    expect(options.webPreferences).toEqual(secureWebPreferences('/p.cjs'));
  });

  it('is a small always-on-top window, hidden until ready, at the given place', () => {
    expect(options).toMatchObject({ alwaysOnTop: true, show: false, resizable: false, x: 10, y: 20, ...PROMPT_WINDOW_SIZE });
  });
});

describe('promptPosition', () => {
  const workArea = { x: 0, y: 25, width: 1920, height: 1055 };

  it('puts the first prompt in the top-right corner of the work area', () => {
    expect(promptPosition(workArea, 0)).toEqual({ x: 1920 - PROMPT_WINDOW_SIZE.width - 16, y: 25 + 16 });
  });

  it('steps each further prompt down and left, so none hides another', () => {
    const first = promptPosition(workArea, 0);
    const second = promptPosition(workArea, 1);
    expect(second.x).toBeLessThan(first.x);
    expect(second.y).toBeGreaterThan(first.y);
  });

  it('stays on a screen smaller than the window', () => {
    const tiny = { x: 100, y: 0, width: 300, height: 200 };
    expect(promptPosition(tiny, 5)).toEqual({ x: 100, y: 0 });
  });
});
