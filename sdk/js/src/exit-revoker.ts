/**
 * Revokes ephemeral tokens when the process ends (RFC 7009), so a token never outlives the agent
 * that used it. Three ways a Node process ends, three hooks:
 *  - the event loop drains (`beforeExit`): revoke asynchronously;
 *  - SIGINT / SIGTERM: revoke, then, if nobody else handles the signal, end the process the way
 *    the signal would have (re-raised with our handler removed);
 *  - `process.exit()` (`exit`): no more I/O is possible in this process, so a short-lived child
 *    process does the revoke synchronously; the token reaches it on stdin, never in argv.
 * Revoking twice is harmless (the engine always answers 200).
 */
import { spawnSync } from 'node:child_process';
import type { Endpoint } from './endpoint.js';

export interface Revocable {
  readonly endpoint: Endpoint;
  /** The token to give up, or undefined once it was revoked. */
  pendingToken(): string | undefined;
  revoke(): Promise<void>;
}

const live = new Set<Revocable>();
let installed = false;

export function revokeAtExit(item: Revocable): () => void {
  live.add(item);
  install();
  return () => live.delete(item);
}

function install(): void {
  if (installed) return;
  installed = true;
  process.on('beforeExit', () => void revokeAll());
  process.on('exit', revokeAllSync);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, onSignal);
}

async function revokeAll(): Promise<void> {
  const items = [...live];
  live.clear();
  await Promise.allSettled(items.map((i) => i.revoke()));
}

function onSignal(signal: NodeJS.Signals): void {
  const alone = process.listenerCount(signal) === 1;
  // Bounded: a hung engine must not keep a Ctrl-C'd process alive.
  const timer = setTimeout(() => finish(signal, alone), 3000);
  void revokeAll().then(() => {
    clearTimeout(timer);
    finish(signal, alone);
  });
}

function finish(signal: NodeJS.Signals, alone: boolean): void {
  if (!alone) return; // someone else handles it; the exit hook still covers a later process.exit()
  process.off(signal, onSignal);
  process.kill(process.pid, signal);
}

function revokeAllSync(): void {
  for (const item of live) {
    const token = item.pendingToken();
    if (token !== undefined) revokeSync(item.endpoint, token);
  }
  live.clear();
}

/** A child Node process POSTs /v1/revoke; at most 3 s. */
const REVOKE_SCRIPT = `
const http = require('node:http');
let input = '';
process.stdin.on('data', (d) => (input += d));
process.stdin.on('end', () => {
  const { where, host, token } = JSON.parse(input);
  const body = new URLSearchParams({ token }).toString();
  const req = http.request({ ...where, method: 'POST', path: '/v1/revoke', agent: false,
    headers: { Host: host, 'Content-Type': 'application/x-www-form-urlencoded', 'Content-Length': Buffer.byteLength(body) } },
    (res) => { res.resume(); res.on('end', () => process.exit(0)); });
  req.on('error', () => process.exit(1));
  req.end(body);
});`;

function revokeSync(ep: Endpoint, token: string): void {
  const where = ep.via === 'tcp' ? { host: ep.host, port: ep.port } : { socketPath: ep.socketPath };
  spawnSync(process.execPath, ['-e', REVOKE_SCRIPT], {
    input: JSON.stringify({ where, host: ep.hostHeader, token }),
    stdio: ['pipe', 'ignore', 'ignore'],
    timeout: 3000,
    // A clean environment: no NODE_OPTIONS loaders for this tiny script.
    env: { PATH: process.env.PATH ?? '', ELECTRON_RUN_AS_NODE: '1' },
  });
}
