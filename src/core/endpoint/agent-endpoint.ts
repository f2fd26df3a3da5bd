/**
 * The agent endpoint (docs/design.md §7): HTTP/1.1 on 127.0.0.1 and on a Unix socket (0600, in a checked
 * 0700 directory), with a discovery file. Start-up order: bind TCP (the port fixes the issuer),
 * build the services with that issuer, attach the handler, bind the socket, publish the file.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { checkHostHeader } from '../net/listener-checks.js';
import { createEndpointState, type EndpointState, type Listener } from './endpoint-context.js';
import type { EndpointServicesFactory } from './endpoint-services.js';
import { removeDiscoveryFile, writeDiscoveryFile } from './discovery-file.js';
import { createRequestHandler } from './request-handler.js';
import { closeServer, listenOnUnixSocket, listenServer, newLocalServer } from '../net/http-listener.js';

/** Long enough for a resolve waiting on a person's approval (120 s by default). */
const REQUEST_TIMEOUT_MS = 180_000;

export interface AgentEndpointOptions {
  /** Called once, with the issuer, after the TCP port is bound and before any request is answered. */
  readonly services: EndpointServicesFactory;
  /** 0 = a random free port. Tokens name the port (iss, aud), so a fixed port keeps them valid across restarts. */
  readonly tcpPort: number;
  readonly socketPath: string;
  readonly discoveryFile: string;
  /** Browser origins allowed to call; empty by default (docs/security.md "Listener"). */
  readonly allowedOrigins?: readonly string[];
  /** Written to the discovery file (the engine passes ENGINE_VERSION). */
  readonly version?: string;
}

export interface AgentEndpoint {
  /** `http://127.0.0.1:<port>`, the TCP listener's canonical base. */
  readonly url: string;
  readonly port: number;
  readonly socketPath: string;
  /** Same as `url`: every token's `iss` and `aud`. */
  readonly issuer: string;
  close(): Promise<void>;
}

export async function startAgentEndpoint(options: AgentEndpointOptions): Promise<AgentEndpoint> {
  const tcp = newLocalServer({ requestTimeoutMs: REQUEST_TIMEOUT_MS });
  await listenServer(tcp, { host: '127.0.0.1', port: options.tcpPort }, `127.0.0.1:${options.tcpPort}`);
  let socket: { server: Server; close(): Promise<void> } | undefined;
  try {
    const port = (tcp.address() as AddressInfo).port;
    const issuer = `http://127.0.0.1:${port}`;
    const state = createEndpointState(options.services(issuer), issuer, options.allowedOrigins ?? []);
    // Attached before control returns to the event loop, so no connection is accepted without it.
    tcp.on('request', createRequestHandler(tcpListener(issuer, port), state));
    socket = await listenOnSocket(options.socketPath, state);
    writeDiscoveryFile(options.discoveryFile, { issuer, url: issuer, socketPath: options.socketPath, pid: process.pid, version: options.version ?? 'unknown' });
    return endpoint(issuer, port, options, tcp, socket);
  } catch (e) {
    await Promise.all([closeServer(tcp), socket?.close()]);
    throw e;
  }
}

function endpoint(issuer: string, port: number, options: AgentEndpointOptions, tcp: Server, socket: { close(): Promise<void> }): AgentEndpoint {
  let closing: Promise<void> | undefined;
  return {
    url: issuer,
    port,
    socketPath: options.socketPath,
    issuer,
    close: () => {
      closing ??= (async () => {
        removeDiscoveryFile(options.discoveryFile, process.pid);
        await Promise.all([closeServer(tcp), socket.close()]);
      })();
      return closing;
    },
  };
}

function tcpListener(base: string, port: number): Listener {
  return { kind: 'tcp', base, checkHost: (raw) => checkHostHeader(raw, port) };
}

const SOCKET_LISTENER: Listener = { kind: 'socket', base: 'http://localhost', checkHost: (raw) => checkHostHeader(raw, 0, { socket: true }) };

async function listenOnSocket(path: string, state: EndpointState): Promise<{ server: Server; close(): Promise<void> }> {
  const server = newLocalServer({ requestTimeoutMs: REQUEST_TIMEOUT_MS });
  server.on('request', createRequestHandler(SOCKET_LISTENER, state));
  const listening = await listenOnUnixSocket(server, path);
  return { server, close: () => listening.close() };
}
