/**
 * Starts the HTTPS proxy for an agent session and says how a program uses it: the proxy
 * variables, and a CA bundle (Node's root certificates plus the data directory's CA, as the engine
 * hands it over, so tunnelled hosts still verify) named by every CA variable common tools read. Files live in a new 0700 directory,
 * removed by `close`.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rootCertificates } from 'node:tls';
import type { AgentSession } from '../agent/agent-session.js';
import { createHttpsProxy } from './https-proxy.js';
import { newP256Key } from '../../core/proxy-ca/certificate-authority.js';

export interface RunningProxy {
  readonly url: string;
  readonly bundle: string;
  /** What a child needs: HTTPS_PROXY and friends, and the CA bundle variables. */
  readonly env: Readonly<Record<string, string>>;
  close(): Promise<void>;
}

export async function startProxy(session: AgentSession, reason: string, options: { port: number; other: 'tunnel' | 'refuse' }): Promise<RunningProxy> {
  const { client, credential } = session;
  // The engine's answer, not the file in the data directory: an agent may have written that.
  const { caCertificate } = await client.proxyHosts(credential);
  const dir = mkdtempSync(join(tmpdir(), 'valetkey-proxy-'));
  const bundle = join(dir, 'ca-bundle.pem');
  writeFileSync(bundle, [...rootCertificates, caCertificate].join('\n'), { mode: 0o600 });
  // One key for this run's leaves; the engine certifies it per host and per CONNECT.
  const leafKey = newP256Key();
  const key = leafKey.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
  const server = createHttpsProxy({
    connect: async (authority) => {
      const answer = await client.proxyConnect(credential, authority, leafKey.spki.toString('base64'));
      return answer.mode === 'tunnel' ? 'tunnel' : { cert: answer.certificate, key };
    },
    other: options.other,
    send: (request) => client.proxyRequest(credential, request, reason),
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolve());
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const env: Record<string, string> = {};
  for (const name of ['HTTPS_PROXY', 'HTTP_PROXY', 'https_proxy', 'http_proxy']) env[name] = url;
  // Node 22.21+/24 honour HTTPS_PROXY in fetch and https only when asked to.
  env.NODE_USE_ENV_PROXY = '1';
  for (const name of ['SSL_CERT_FILE', 'NODE_EXTRA_CA_CERTS', 'REQUESTS_CA_BUNDLE', 'CURL_CA_BUNDLE', 'GIT_SSL_CAINFO']) env[name] = bundle;
  return {
    url,
    bundle,
    env,
    // Tunnelled sockets are not the server's to wait for: stop listening and forget the bundle.
    close: async () => {
      server.close();
      server.closeAllConnections();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
