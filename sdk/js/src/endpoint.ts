/**
 * Finding the engine's agent endpoint (docs/tokens.md §1), in this order: the `endpoint` option,
 * VALETKEY_AGENT_SOCKET, VALETKEY_AGENT_URL, then the discovery file the engine writes in its
 * data directory ($VALETKEY_HOME, else the platform's app-data directory). From the discovery
 * file the Unix socket is preferred (0600 in a 0700 directory: only this user can connect).
 * Tokens are only ever sent to loopback: a URL naming another host is refused.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { dataDir, type Env } from './data-dir.js';
import { makeError } from './errors.js';

export { dataDir, type Env };

export type Endpoint =
  | { readonly via: 'tcp'; readonly host: string; readonly port: number; readonly base: string; readonly hostHeader: string }
  | { readonly via: 'socket'; readonly socketPath: string; readonly base: 'http://localhost'; readonly hostHeader: 'localhost' };

const LOOPBACK: Readonly<Record<string, string>> = { '127.0.0.1': '127.0.0.1', localhost: '127.0.0.1', '[::1]': '::1' };

/** `http://127.0.0.1:PORT` (also localhost, [::1]); `unix:/path` or an absolute path is a socket. */
export function parseEndpoint(spec: string): Endpoint {
  // `unix:///run/x.sock` is the same socket as `unix:/run/x.sock`.
  if (spec.startsWith('unix:')) return socketEndpoint(spec.slice('unix:'.length).replace(/^\/\/(?=\/)/, ''));
  if (spec.startsWith('/')) return socketEndpoint(spec);
  let url: URL;
  try {
    url = new URL(spec);
  } catch {
    throw makeError('invalid_request', 'The Valetkey endpoint must be http://127.0.0.1:PORT or the path of its socket.');
  }
  const host = LOOPBACK[url.hostname];
  if (url.protocol !== 'http:' || host === undefined || url.port === '') {
    throw makeError('invalid_request', 'The Valetkey endpoint must be http on 127.0.0.1, localhost or [::1] with a port: tokens never leave this machine.');
  }
  const port = Number(url.port);
  // The engine's canonical TCP base is always 127.0.0.1 (docs/tokens.md §1), whatever Host is sent.
  return { via: 'tcp', host, port, base: `http://127.0.0.1:${port}`, hostHeader: `${url.hostname}:${port}` };
}

function socketEndpoint(socketPath: string): Endpoint {
  return { via: 'socket', socketPath, base: 'http://localhost', hostHeader: 'localhost' };
}

/** `discoveryFile`: the CLI knows its data directory (`--home`) better than the environment does. */
export function findEndpoint(explicit: string | undefined, env: Env = process.env, discoveryFile = join(dataDir(env), 'discovery.json')): Endpoint {
  if (explicit !== undefined) return parseEndpoint(explicit);
  if (env.VALETKEY_AGENT_SOCKET) return socketEndpoint(env.VALETKEY_AGENT_SOCKET);
  if (env.VALETKEY_AGENT_URL) return parseEndpoint(env.VALETKEY_AGENT_URL);
  return fromDiscoveryFile(discoveryFile);
}

function fromDiscoveryFile(file: string): Endpoint {
  let discovery: { url?: unknown; socketPath?: unknown };
  try {
    discovery = JSON.parse(readFileSync(file, 'utf8')) as typeof discovery;
  } catch {
    throw makeError('engine_unreachable', `No running Valetkey found (no readable ${file}). Start Valetkey, or set VALETKEY_AGENT_URL.`);
  }
  if (typeof discovery.socketPath === 'string' && process.platform !== 'win32' && existsSync(discovery.socketPath)) {
    return socketEndpoint(discovery.socketPath);
  }
  if (typeof discovery.url === 'string') return parseEndpoint(discovery.url);
  throw makeError('engine_unreachable', `The Valetkey discovery file ${file} is damaged. Restart Valetkey.`);
}
