/**
 * Local HTTPS servers for the proxy tests: a leaf for 127.0.0.1 from a test CA (which the engine
 * trusts through NODE_EXTRA_CA_CERTS given to its process only), on a random loopback port.
 */
import { createServer, type Server } from 'node:https';
import type { RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CertificateAuthority } from '../../src/core/proxy-ca/certificate-authority.js';

export interface HttpsUpstream {
  /** `127.0.0.1:PORT` */
  readonly host: string;
  readonly server: Server;
  close(): Promise<void>;
}

export async function startHttpsUpstream(ca: CertificateAuthority, handler: RequestListener): Promise<HttpsUpstream> {
  const leaf = ca.leafFor('127.0.0.1');
  const server = createServer({ cert: leaf.cert, key: leaf.key }, handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    host: `127.0.0.1:${(server.address() as AddressInfo).port}`,
    server,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export type AuthEcho = HttpsUpstream & { readonly seen: string[] };

/** Records each request's Authorization header (`(none)` when absent) and answers `auth=<header>`. */
export async function startAuthEcho(ca: CertificateAuthority): Promise<AuthEcho> {
  const seen: string[] = [];
  const upstream = await startHttpsUpstream(ca, (req, res) => {
    seen.push(req.headers.authorization ?? '(none)');
    res.writeHead(200, { 'content-type': 'text/plain' }).end(`auth=${req.headers.authorization ?? ''}`);
  });
  return { ...upstream, seen };
}
