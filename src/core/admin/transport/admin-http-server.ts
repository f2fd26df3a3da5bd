/**
 * The admin API over loopback HTTP (browser dashboard, CLI) and over a Unix socket (CLI), both
 * generated from ADMIN_METHODS through one request handler. TCP binds 127.0.0.1 only; the
 * socket lives in a checked 0700 directory and is made 0600 as soon as it exists.
 */
import type { AddressInfo } from 'node:net';
import type { AdminDispatcher, AdminEventSource } from '../../../shared/admin-api.js';
import { ListenerRefused, checkHostHeader } from '../../net/listener-checks.js';
import { AdminEventStreams } from './admin-event-stream.js';
import { createAdminHandler, type AdminHandlerOptions } from './admin-request-handler.js';
import { sha256 } from './session-digest.js';
import { closeServer, listenOnUnixSocket, listenServer, newLocalServer } from '../../net/http-listener.js';

/** Admin calls answer at once; nothing here waits on a person. */
const REQUEST_TIMEOUT_MS = 30_000;

export interface AdminServerOptions {
  readonly dispatch: AdminDispatcher;
  readonly events: AdminEventSource;
  readonly sessionSecret: string;
  readonly tcp?: { readonly host: '127.0.0.1'; readonly port: number /* 0 = random */ };
  readonly socketPath?: string;
  /** Browser origins allowed to call (the headless dashboard's own origin); empty by default. */
  readonly allowedOrigins?: readonly string[];
}

export interface AdminServer {
  readonly tcpPort?: number;
  readonly socketPath?: string;
  close(): Promise<void>;
}

/** Long enough that guessing is hopeless; the engine generates 32 random bytes. */
const MIN_SECRET_LENGTH = 16;

type Shared = Omit<AdminHandlerOptions, 'via' | 'checkHost'>;

interface Listening {
  readonly port?: number;
  readonly path?: string;
  close(): Promise<void>;
}

export async function startAdminServer(options: AdminServerOptions): Promise<AdminServer> {
  if (options.tcp === undefined && options.socketPath === undefined) throw new Error('startAdminServer needs tcp, socketPath or both');
  if (options.sessionSecret.length < MIN_SECRET_LENGTH) throw new Error(`the admin session secret must be at least ${MIN_SECRET_LENGTH} characters`);
  const streams = new AdminEventStreams(options.events);
  const shared: Shared = {
    dispatch: options.dispatch,
    streams,
    sessionDigest: sha256(options.sessionSecret),
    allowedOrigins: options.allowedOrigins ?? [],
  };
  const started: Listening[] = [];
  try {
    if (options.socketPath !== undefined) started.push(await listenOnSocket(options.socketPath, shared));
    if (options.tcp !== undefined) started.push(await listenOnTcp(options.tcp, shared));
  } catch (e) {
    await Promise.all(started.map((l) => l.close()));
    throw e;
  }
  return {
    tcpPort: started.find((l) => l.port !== undefined)?.port,
    socketPath: started.find((l) => l.path !== undefined)?.path,
    close: async () => {
      streams.endAll();
      await Promise.all(started.map((l) => l.close()));
    },
  };
}

async function listenOnTcp(tcp: NonNullable<AdminServerOptions['tcp']>, shared: Shared): Promise<Listening> {
  // The type says 127.0.0.1; check at run time too, since config files are not type-checked.
  if (tcp.host !== '127.0.0.1') throw new ListenerRefused(`Refusing to listen on ${String(tcp.host)}: the admin API listens on 127.0.0.1 only.`);
  let port = 0;
  const server = newLocalServer({ requestTimeoutMs: REQUEST_TIMEOUT_MS, handler: createAdminHandler({ ...shared, via: 'http', checkHost: (raw) => checkHostHeader(raw, port) }) });
  await listenServer(server, { host: tcp.host, port: tcp.port }, `127.0.0.1:${tcp.port}`);
  port = (server.address() as AddressInfo).port;
  return { port, close: () => closeServer(server) };
}

async function listenOnSocket(path: string, shared: Shared): Promise<Listening> {
  const server = newLocalServer({ requestTimeoutMs: REQUEST_TIMEOUT_MS, handler: createAdminHandler({ ...shared, via: 'socket', checkHost: (raw) => checkHostHeader(raw, 0, { socket: true }) }) });
  const listening = await listenOnUnixSocket(server, path);
  return { path, close: () => listening.close() };
}
