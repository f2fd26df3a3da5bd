/** Starting and stopping the engine's local HTTP servers, the same way for every listener. */
import { createServer, type RequestListener, type Server } from 'node:http';
import { ListenerRefused } from './listener-checks.js';

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
