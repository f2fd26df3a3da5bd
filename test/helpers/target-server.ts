/**
 * A real HTTP server on 127.0.0.1 (random port) standing in for an API that `/v1/fetch` calls.
 * It records every request it receives, so a test can prove that nothing was sent, and answers
 * with whatever the test's handler says.
 */
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

export type TargetHandler = (req: ReceivedRequest, res: ServerResponse) => void;

export interface TargetServer {
  readonly port: number;
  /** `127.0.0.1:<port>`, as an entry's allowed host. */
  readonly host: string;
  readonly url: string;
  readonly received: ReceivedRequest[];
  /** Connections accepted, even ones that never sent a full request. */
  connections(): number;
  close(): Promise<void>;
}

export async function startTargetServer(handler: TargetHandler = echo): Promise<TargetServer> {
  const received: ReceivedRequest[] = [];
  let connections = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const r = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      received.push(r);
      handler(r, res);
    });
  });
  server.on('connection', () => (connections += 1));
  await new Promise<void>((resolve) => server.listen({ host: '127.0.0.1', port: 0 }, resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    host: `127.0.0.1:${port}`,
    url: `http://127.0.0.1:${port}`,
    received,
    connections: () => connections,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Answers with what it received, as JSON: a target that echoes secrets back, like many APIs do in errors. */
export function echo(req: ReceivedRequest, res: ServerResponse): void {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify(req));
}
