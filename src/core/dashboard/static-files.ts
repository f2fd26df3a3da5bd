/**
 * The built React dashboard (electron-vite's out/renderer) as static files. Only regular files
 * under the directory are served: no `..`, no symbolic links, no directory listings.
 */
import { existsSync, lstatSync, readFileSync, realpathSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { dirname, extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.webp': 'image/webp',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

/** out/renderer under the package root, found from this file (works from src/ under tsx and from the bundled CLI in out/cli/). */
export function defaultRendererDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return join(dir, 'out', 'renderer');
}

export function isBuilt(rendererDir: string): boolean {
  return existsSync(join(rendererDir, 'index.html'));
}

/** The app's built stylesheet as a root path (read from its index.html), or undefined when there is none. */
export function appStylesheet(rendererDir: string): string | undefined {
  let html: string;
  try {
    html = readFileSync(join(rendererDir, 'index.html'), 'utf8');
  } catch {
    return undefined;
  }
  const href = /<link\b[^>]*\brel="stylesheet"[^>]*\bhref="\.?\/?(assets\/[\w.-]+\.css)"/.exec(html)?.[1];
  return href === undefined ? undefined : `/${href}`;
}

/** The file a URL path names under `root`, or undefined if it names none we would serve. */
export function resolveStatic(root: string, urlPath: string): string | undefined {
  let path: string;
  try {
    path = decodeURIComponent(urlPath === '/' ? '/index.html' : urlPath);
  } catch {
    return undefined;
  }
  if (path.includes('\0') || path.includes('\\') || path.split('/').some((s) => s === '..' || s === '.')) return undefined;
  const base = resolve(root);
  const file = resolve(base, `.${path}`);
  if (!file.startsWith(base + sep)) return undefined;
  try {
    // realpath as well as lstat: a symbolic link in a parent directory could lead outside too.
    return lstatSync(file).isFile() && realpathSync(file).startsWith(realpathSync(base) + sep) ? file : undefined;
  } catch {
    return undefined;
  }
}

export function sendFile(res: ServerResponse, file: string): void {
  const body = readFileSync(file);
  const type = CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
  res.writeHead(200, { 'Content-Type': type, 'Content-Length': body.length });
  res.end(body);
}
