import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { appPaths } from '../../src/main/app-paths.js';
import { isAppUrl } from '../../src/main/app-origin.js';

const MAIN_DIR = join('/opt', 'valetkey', 'out', 'main');

describe('appPaths', () => {
  it('points at the built preload, engine and renderer next to out/main', () => {
    const paths = appPaths(MAIN_DIR, undefined);
    expect(paths.preload).toBe(join('/opt', 'valetkey', 'out', 'preload', 'index.cjs'));
    expect(paths.engineEntry).toBe(join(MAIN_DIR, 'engine-entry.js'));
    expect(paths.renderer).toEqual({ file: join('/opt', 'valetkey', 'out', 'renderer', 'index.html') });
    expect(isAppUrl(pathToFileURL(join('/opt', 'valetkey', 'out', 'renderer', 'index.html')).href, paths.appOrigin)).toBe(true);
    expect(isAppUrl(pathToFileURL(join('/opt', 'valetkey', 'out', 'main', 'index.js')).href, paths.appOrigin)).toBe(false);
  });

  it('uses a loopback http dev server', () => {
    const paths = appPaths(MAIN_DIR, 'http://localhost:5173/');
    expect(paths.renderer).toEqual({ url: 'http://localhost:5173/' });
    expect(paths.appOrigin).toBe('http://localhost:5173');
  });

  it.each(['https://evil.example/', 'http://evil.example:5173/', 'file:///tmp/evil.html', 'nonsense'])(
    'ignores a dev server URL that is not loopback http: %s',
    (url) => {
      const paths = appPaths(MAIN_DIR, url);
      expect(paths.renderer).toEqual({ file: join('/opt', 'valetkey', 'out', 'renderer', 'index.html') });
      expect(paths.appOrigin.startsWith('file:')).toBe(true);
    },
  );
});
