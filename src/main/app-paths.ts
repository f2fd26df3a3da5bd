import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { fileAppOrigin } from './app-origin.js';

export interface AppPaths {
  readonly preload: string;
  readonly engineEntry: string;
  /** A file path to load, or the dev server URL. */
  readonly renderer: { readonly file: string } | { readonly url: string };
  /** What isAppUrl compares against: the renderer directory URL or the dev server origin. */
  readonly appOrigin: string;
}

/**
 * Where the built pieces are, relative to out/main. A dev server URL is honoured only when the
 * app is not packaged and it is plain http on loopback: an environment variable must never be
 * able to point the trusted window (and its IPC rights) at someone else's server.
 */
export function appPaths(mainDir: string, devServerUrl: string | undefined): AppPaths {
  const rendererDir = join(mainDir, '..', 'renderer');
  const dev = devServerUrl === undefined ? undefined : loopbackHttpOrigin(devServerUrl);
  return {
    preload: join(mainDir, '..', 'preload', 'index.cjs'),
    engineEntry: join(mainDir, 'engine-entry.js'),
    renderer: dev === undefined ? { file: join(rendererDir, 'index.html') } : { url: devServerUrl ?? dev },
    appOrigin: dev ?? fileAppOrigin(pathToFileURL(rendererDir).href),
  };
}

function loopbackHttpOrigin(url: string): string | undefined {
  try {
    const parsed = new URL(url);
    const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(parsed.hostname);
    return parsed.protocol === 'http:' && loopback ? parsed.origin : undefined;
  } catch {
    return undefined;
  }
}
