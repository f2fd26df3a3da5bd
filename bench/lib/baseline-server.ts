/**
 * The baseline the engine is measured against, in the same run with the same load generator:
 * a bare Node HTTP server that checks a static API key (constant time) and returns a constant.
 * What it costs is the floor of "HTTP on this machine"; the engine's ratio to it is what we report.
 */
import { createServer, type Server } from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import { rmSync } from 'node:fs';

export const BASELINE_KEY = 'baseline-static-api-key-0123456789abcdef';
const expected = Buffer.from(`Bearer ${BASELINE_KEY}`);
const body = JSON.stringify({ values: { 'vk://bench/entry/password': 'constant' } });

export interface Baseline {
  readonly port: number;
  readonly socketPath: string;
  close(): Promise<void>;
}

export async function startBaseline(socketPath: string): Promise<Baseline> {
  const handler = (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => {
    const given = Buffer.from(req.headers.authorization ?? '');
    const ok = given.length === expected.length && timingSafeEqual(given, expected);
    req.resume();
    req.on('end', () => {
      res.writeHead(ok ? 200 : 401, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      res.end(ok ? body : '{"error":"invalid_token"}');
    });
  };
  const tcp = createServer(handler);
  const unix = createServer(handler);
  rmSync(socketPath, { force: true });
  await Promise.all([listen(tcp, { port: 0, host: '127.0.0.1' }), listen(unix, { path: socketPath })]);
  const address = tcp.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    port,
    socketPath,
    close: async () => {
      await Promise.all([close(tcp), close(unix)]);
    },
  };
}

function listen(server: Server, options: { port?: number; host?: string; path?: string }): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options, () => resolve());
  });
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}
