/**
 * A real git server for tests: a Node HTTP server on 127.0.0.1 in front of `git http-backend`
 * (CGI), refusing any request without HTTP basic auth for the one account it knows. Pushes land
 * in a real bare repository.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

export interface GitHttpServer {
  /** `127.0.0.1:PORT` */
  readonly host: string;
  readonly url: string;
  /** Every Authorization header the server saw, in order (to check what the client sent). */
  readonly authorizations: string[];
  close(): Promise<void>;
}

export async function startGitHttpServer(root: string, repo: string, account: { username: string; password: string }): Promise<GitHttpServer> {
  mkdirSync(root, { recursive: true });
  execFileSync('git', ['init', '--quiet', '--bare', '--initial-branch=main', join(root, repo)]);
  execFileSync('git', ['-C', join(root, repo), 'config', 'http.receivepack', 'true']);
  const expected = `Basic ${Buffer.from(`${account.username}:${account.password}`).toString('base64')}`;
  const authorizations: string[] = [];
  const server = createServer((req, res) => {
    const auth = req.headers.authorization ?? '';
    if (auth !== '') authorizations.push(auth);
    if (auth !== expected) {
      res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="test git"' }).end('authentication required\n');
      return;
    }
    runBackend(root, req, res, account.username);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    host,
    url: `http://${host}/${repo}`,
    authorizations,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

function runBackend(root: string, req: IncomingMessage, res: ServerResponse, user: string): void {
  const url = new URL(req.url ?? '/', 'http://git.test');
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    GIT_PROJECT_ROOT: root,
    GIT_HTTP_EXPORT_ALL: '1',
    REQUEST_METHOD: req.method ?? 'GET',
    PATH_INFO: decodeURIComponent(url.pathname),
    QUERY_STRING: url.search.slice(1),
    CONTENT_TYPE: req.headers['content-type'] ?? '',
    REMOTE_USER: user,
    REMOTE_ADDR: '127.0.0.1',
    ...(req.headers['content-encoding'] === undefined ? {} : { HTTP_CONTENT_ENCODING: req.headers['content-encoding'] }),
    ...(req.headers['git-protocol'] === undefined ? {} : { GIT_PROTOCOL: String(req.headers['git-protocol']) }),
  };
  const cgi = spawn('git', ['http-backend'], { env, stdio: ['pipe', 'pipe', 'inherit'] });
  req.pipe(cgi.stdin);
  const chunks: Buffer[] = [];
  cgi.stdout.on('data', (d: Buffer) => chunks.push(d));
  cgi.on('close', () => writeCgiAnswer(Buffer.concat(chunks), res));
}

/** CGI output: header lines, a blank line, the body; `Status:` sets the HTTP status. */
function writeCgiAnswer(out: Buffer, res: ServerResponse): void {
  let split = out.indexOf('\r\n\r\n');
  let gap = 4;
  if (split === -1) {
    split = out.indexOf('\n\n');
    gap = 2;
  }
  const head = out.subarray(0, split).toString('latin1');
  let status = 200;
  const headers: Record<string, string> = {};
  for (const line of head.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim();
    const v = line.slice(colon + 1).trim();
    if (name.toLowerCase() === 'status') status = Number.parseInt(v, 10);
    else headers[name] = v;
  }
  res.writeHead(status, headers).end(out.subarray(split + gap));
}
