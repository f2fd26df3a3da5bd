/**
 * `valetkey mcp --http`: Streamable HTTP (MCP 2025-11-25 transports) on 127.0.0.1 only. Before the
 * MCP layer sees a request: Host must name this loopback port (DNS rebinding), a request with an
 * Origin (a web page) is refused, there are no CORS headers, and the caller must present this
 * server's access secret, because any local process or user can reach a loopback port and this
 * server acts with the agent's token. Stateless: each POST gets a fresh MCP server over the one
 * shared McpAgent, so a pending request_access survives between calls.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { VkError } from '../shared/errors.js';
import { checkHostHeader, checkOrigin, readJsonBody, sendError } from '../core/net/listener-checks.js';
import { secretMatches } from './http-secret.js';
import type { McpAgent } from './mcp-agent.js';
import { createMcpServer, type McpServerOptions } from './mcp-server.js';

export const MCP_PATH = '/mcp';

export interface McpHttpOptions extends McpServerOptions {
  readonly agent: McpAgent;
  /** 0 picks a free port. */
  readonly port: number;
  /** What clients send as `Authorization: Bearer <secret>`. */
  readonly secret: string;
}

export interface McpHttpServer {
  readonly port: number;
  /** `http://127.0.0.1:<port>/mcp` */
  readonly url: string;
  close(): Promise<void>;
}

export async function startMcpHttp(options: McpHttpOptions): Promise<McpHttpServer> {
  let port = options.port;
  // Node would answer a missing Host itself, without our JSON error; checkHostHeader does it.
  const http = createServer({ requireHostHeader: false }, (req, res) => {
    handle(req, res, port, options).catch((e: unknown) => sendError(res, e));
  });
  await listen(http, options.port);
  port = (http.address() as AddressInfo).port;
  return { port, url: `http://127.0.0.1:${port}${MCP_PATH}`, close: () => closeServer(http) };
}

async function handle(req: IncomingMessage, res: ServerResponse, port: number, options: McpHttpOptions): Promise<void> {
  const host = checkHostHeader(req.rawHeaders, port);
  if (host !== 'ok') throw new VkError(host === 'forbidden' ? 'forbidden_host' : 'bad_host');
  if (!checkOrigin(req.headers, [])) throw new VkError('forbidden_origin');
  if (req.url !== MCP_PATH) throw new VkError('not_found');
  // Stateless: no GET stream to resume and no session to DELETE.
  if (req.method !== 'POST') {
    sendError(res, new VkError('method_not_allowed'), { Allow: 'POST' });
    return;
  }
  if (!secretMatches(req.headers.authorization, options.secret)) {
    sendError(res, new VkError('invalid_token', 'send this MCP server’s secret as Authorization: Bearer'), { 'WWW-Authenticate': 'Bearer realm="valetkey-mcp"' });
    return;
  }
  const body = await readJsonBody(req);
  const server = createMcpServer(options.agent, options);
  const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
  res.once('close', () => {
    void transport.close();
    void server.close();
  });
  await server.connect(transport);
  await transport.handleRequest(req, res, body);
}

function listen(http: Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    http.once('error', reject);
    // Loopback only; never 0.0.0.0 or ::.
    http.listen({ host: '127.0.0.1', port }, () => {
      http.off('error', reject);
      resolve();
    });
  });
}

function closeServer(http: Server): Promise<void> {
  return new Promise((resolve) => {
    http.close(() => resolve());
    http.closeAllConnections();
  });
}
