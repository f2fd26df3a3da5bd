/**
 * Where our own pages live. In a packaged app the renderer is loaded from files under
 * out/renderer, so "our origin" is a directory prefix of file: URLs (every file: URL has the
 * opaque origin "null", which would match any local file). In development it is the dev server's
 * http origin.
 */

/** The app origin for a renderer loaded from files: the directory URL, ending in '/'. */
export function fileAppOrigin(rendererDirUrl: string): string {
  return rendererDirUrl.endsWith('/') ? rendererDirUrl : `${rendererDirUrl}/`;
}

/** True when `url` is one of our own pages for the given app origin. */
export function isAppUrl(url: string, appOrigin: string): boolean {
  const target = parseUrl(url);
  const base = parseUrl(appOrigin);
  if (target === undefined || base === undefined) return false;
  if (base.protocol === 'file:') return isInsideDirectory(target, base);
  if (base.protocol !== 'http:' && base.protocol !== 'https:') return false;
  return target.origin === base.origin;
}

function isInsideDirectory(target: URL, dir: URL): boolean {
  if (target.protocol !== 'file:' || target.host !== dir.host) return false;
  // The URL parser already resolved dot segments; an encoded separator could still smuggle one
  // past the prefix check on a file system that decodes it, so refuse those outright.
  if (/%2f|%5c|\\/i.test(target.pathname)) return false;
  const prefix = dir.pathname.endsWith('/') ? dir.pathname : `${dir.pathname}/`;
  return target.pathname.startsWith(prefix);
}

function parseUrl(value: string): URL | undefined {
  try {
    return new URL(value);
  } catch {
    return undefined;
  }
}
