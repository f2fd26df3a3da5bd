/** Starting and stopping the engine's local HTTP servers, the same way for every listener. */
import { createServer, type RequestListener, type Server } from 'node:http';
import { chmodSync, lstatSync, unlinkSync } from 'node:fs';
import { dirname } from 'node:path';
import { ListenerRefused, claimSocketPath, prepareSocketDir } from './listener-checks.js';

/**
 * A server that leaves the Host check to us (so a missing Host gets our JSON answer, not Node's
 * bare 400) and does not let a client that trickles its headers hold a connection for minutes.
 */
export function newLocalServer(options: { readonly requestTimeoutMs: number; readonly handler?: RequestListener }): Server {
  const server = options.handler ? createServer({ requireHostHeader: false }, options.handler) : createServer({ requireHostHeader: false });
  server.headersTimeout = 10_000;
  server.requestTimeout = options.requestTimeoutMs;
  return server;
}

export function listenServer(server: Server, where: { host?: string; port?: number; path?: string }, label: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (e: NodeJS.ErrnoException): void => {
      reject(e.code === 'EADDRINUSE' ? new ListenerRefused(`Refusing to start: ${label} is already in use. Stop the other program or pick another port.`) : e);
    };
    server.once('error', onError);
    server.listen(where, () => {
      server.off('error', onError);
      resolve();
    });
  });
}

export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) return resolve();
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

/**
 * Serves `server` on a Unix socket: checks the 0700 directory, claims the path (never deleting what
 * is not our own stale socket), listens, makes the socket 0600, and on close removes it only if it
 * is still the socket we made.
 */
export async function listenOnUnixSocket(server: Server, path: string): Promise<{ close(): Promise<void> }> {
  prepareSocketDir(dirname(path));
  await claimSocketPath(path);
  await listenServer(server, { path }, path);
  try {
    chmodSync(path, 0o600); // the directory is already 0700, so the moment before this exposes nothing
  } catch (e) {
    await closeServer(server);
    throw e;
  }
  const ino = lstatSync(path).ino;
  return {
    close: async () => {
      await closeServer(server);
      unlinkIfOurs(path, ino);
    },
  };
}

/** Remove our socket on close, but not a file someone put in its place since. */
function unlinkIfOurs(path: string, ino: number): void {
  try {
    const st = lstatSync(path);
    if (st.isSocket() && st.ino === ino) unlinkSync(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
}
