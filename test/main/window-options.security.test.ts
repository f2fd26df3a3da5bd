import { describe, expect, it } from 'vitest';
import { mainWindowOptions, secureWebPreferences } from '../../src/main/window-options.js';

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
