/**
 * Where the agent endpoint listens (docs/tokens.md §1): `VALETKEY_AGENT_URL` when set
 * (`http://127.0.0.1:PORT`, `http://localhost:PORT`, `http://[::1]:PORT`, or `unix:/path/agent.sock`),
 * else the engine's discovery file in the data directory, preferring its Unix socket (reachable
 * only by this user) over TCP. The canonical base is what DPoP proofs name in `htu`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { VkError } from '../errors.js';

export interface EndpointLocation {
  /** `http://127.0.0.1:<port>` over TCP, `http://localhost` over the socket. */
  readonly base: string;
  readonly connect: { readonly socketPath: string } | { readonly host: string; readonly port: number };
  readonly hostHeader: string;
}

const LOOPBACK = new Map([
  ['127.0.0.1', '127.0.0.1'],
  ['localhost', '127.0.0.1'],
  ['[::1]', '::1'],
]);

export function locateEndpoint(options: { readonly env: NodeJS.ProcessEnv; readonly discoveryFile: string }): EndpointLocation {
  const configured = options.env.VALETKEY_AGENT_URL;
  if (configured !== undefined && configured !== '') return fromUrl(configured);
  return fromDiscovery(options.discoveryFile);
}

export function fromUrl(text: string): EndpointLocation {
  if (text.startsWith('unix:')) return socketLocation(text.slice('unix:'.length).replace(/^\/\/(?=\/)/, ''));
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new VkError('invalid_request', 'VALETKEY_AGENT_URL must be http://127.0.0.1:PORT or unix:/path/to/agent.sock');
  }
  const host = LOOPBACK.get(url.hostname);
  // Tokens and proofs go only to this machine.
  if (url.protocol !== 'http:' || host === undefined || url.port === '') {
    throw new VkError('invalid_request', 'VALETKEY_AGENT_URL must be http://127.0.0.1:PORT (or localhost, [::1]) or unix:/path');
  }
  const port = Number(url.port);
  // Proofs name 127.0.0.1 even when the URL says localhost (docs/tokens.md §1); [::1] stays as it is.
  const base = url.hostname === '[::1]' ? `http://[::1]:${port}` : `http://127.0.0.1:${port}`;
  return { base, connect: { host, port }, hostHeader: `${url.hostname}:${port}` };
}

function socketLocation(path: string): EndpointLocation {
  return { base: 'http://localhost', connect: { socketPath: path }, hostHeader: 'localhost' };
}

function fromDiscovery(file: string): EndpointLocation {
  let discovery: { url?: unknown; socketPath?: unknown };
  try {
    discovery = JSON.parse(readFileSync(file, 'utf8')) as typeof discovery;
  } catch {
    throw new VkError('engine_unreachable', 'no discovery file: is the engine running on this data directory? (or set VALETKEY_AGENT_URL)');
  }
  if (typeof discovery.socketPath === 'string' && existsSync(discovery.socketPath)) return socketLocation(discovery.socketPath);
  if (typeof discovery.url === 'string') return fromUrl(discovery.url);
  throw new VkError('engine_unreachable', 'the discovery file names no endpoint');
}
