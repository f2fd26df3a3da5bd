/**
 * The agent-side HTTPS proxy (`valetkey proxy`, `valetkey run --proxy`). The engine decides each
 * CONNECT: for a host an entry allows (with an injection setting) it hands over a one-hour leaf
 * signed with the data directory's CA; the proxy terminates TLS with it and hands each request to
 * the engine (/v1/proxy/request), which adds the secret, sends it over verified TLS and answers
 * redacted. Other hosts are tunnelled untouched or refused, as the token says; `other: 'refuse'`
 * refuses them even where the token would tunnel. The proxy holds the token and DPoP key, never a
 * secret value.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { connect, type Socket } from 'node:net';
import { createSecureContext, TLSSocket } from 'node:tls';
import { fromClientError } from '../../shared/client-error.js';
import { isVkError, VkError, ERRORS, type ErrorCode } from '../../shared/errors.js';
import type { FetchAnswer, FetchRequestInput } from '../../shared/model.js';

export interface Leaf {
  readonly cert: string;
  readonly key: string;
}

export interface ProxyOptions {
  /** The engine's decision for a host:port: intercept with this leaf, or tunnel; a refusal throws. */
  readonly connect: (authority: string) => Promise<Leaf | 'tunnel'>;
  readonly send: (request: FetchRequestInput) => Promise<FetchAnswer>;
  /** `refuse`: refuse what the engine would tunnel (the proxy may narrow, never widen). */
  readonly other: 'tunnel' | 'refuse';
}

const MAX_BODY = 64 * 1024;
// Framing and hop-by-hop headers: the engine sets its own; the rest would be refused by /v1/fetch.
const DROPPED = new Set(['host', 'content-length', 'transfer-encoding', 'connection', 'keep-alive', 'upgrade', 'te', 'trailer', 'expect', 'accept-encoding', 'proxy-connection', 'proxy-authorization']);

export function createHttpsProxy(options: ProxyOptions): Server {
  const inner = createServer((req, res) => void forward(options, req, res));
  const outer = createServer((_req, res) => refuse(res, 405, 'valetkey proxy only forwards HTTPS (CONNECT)'));
  outer.on('connect', (req: IncomingMessage, client: Socket, head: Buffer) => {
    client.on('error', () => client.destroy());
    void onConnect(options, inner, req, client, head);
  });
  return outer;
}

async function onConnect(options: ProxyOptions, inner: Server, req: IncomingMessage, client: Socket, head: Buffer): Promise<void> {
  const target = parseTarget(req.url ?? '');
  if (target === undefined) return void client.end('HTTP/1.1 400 Bad Request\r\n\r\n');
  let decision: Leaf | 'tunnel';
  try {
    decision = await options.connect(target.authority);
  } catch (e) {
    // Refused, paused, revoked, locked: say so rather than tunnel, so the program sees why.
    const code = refusalCode(e);
    return void client.end(`HTTP/1.1 ${ERRORS[code].status} Refused\r\ncontent-type: text/plain\r\n\r\nvaletkey proxy: ${ERRORS[code].message} [${code}]\n`);
  }
  if (decision !== 'tunnel') {
    client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
    if (head.length > 0) client.unshift(head);
    const tls = new TLSSocket(client, { isServer: true, secureContext: createSecureContext({ cert: decision.cert, key: decision.key }) });
    tls.on('error', () => tls.destroy());
    inner.emit('connection', tls);
    return;
  }
  if (options.other === 'refuse') return void client.end('HTTP/1.1 403 Forbidden\r\ncontent-type: text/plain\r\n\r\nvaletkey proxy: no entry allows this host, and tunnelling is off\n');
  tunnel(target, client, head);
}

function tunnel(target: { hostname: string; port: number }, client: Socket, head: Buffer): void {
  const upstream = connect(target.port, target.hostname, () => {
    client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
    if (head.length > 0) upstream.write(head);
    upstream.pipe(client);
    client.pipe(upstream);
  });
  upstream.on('error', () => client.end('HTTP/1.1 502 Bad Gateway\r\n\r\n'));
}

function parseTarget(authority: string): { authority: string; hostname: string; port: number } | undefined {
  try {
    const url = new URL(`https://${authority}`);
    if (url.hostname === '' || url.pathname !== '/' || url.username !== '') return undefined;
    return { authority, hostname: url.hostname.replace(/^\[|\]$/g, ''), port: Number(url.port || 443) };
  } catch {
    return undefined;
  }
}

async function forward(options: ProxyOptions, req: IncomingMessage, res: ServerResponse): Promise<void> {
  try {
    const host = req.headers.host ?? '';
    const body = await readBody(req);
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (!DROPPED.has(name) && value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
    }
    const request: FetchRequestInput = { method: req.method ?? 'GET', url: `https://${host}${req.url ?? '/'}`, headers, ...(body.length > 0 ? { body: body.toString('utf8') } : {}) };
    const answer = await options.send(request);
    const out: Record<string, string | readonly string[]> = {};
    for (const [name, value] of Object.entries(answer.headers)) if (!DROPPED.has(name) && name !== 'content-encoding') out[name] = value;
    const bytes = Buffer.from(answer.body, answer.bodyEncoding === 'base64' ? 'base64' : 'utf8');
    res.writeHead(answer.status, { ...out, 'content-length': String(bytes.length) }).end(bytes);
  } catch (e) {
    const code = refusalCode(e);
    refuse(res, ERRORS[code].status, `valetkey proxy: ${ERRORS[code].message} [${code}]`);
  }
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) reject(new VkError('payload_too_large'));
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function refuse(res: ServerResponse, status: number, text: string): void {
  if (!res.headersSent) res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
  res.end(`${text}\n`);
}

/** The code the engine (or the client, before sending) refused with; anything else is our own fault. */
function refusalCode(thrown: unknown): ErrorCode {
  const e = fromClientError(thrown);
  return isVkError(e) ? e.code : 'internal_error';
}
