/**
 * One HTTP/1.1 exchange with the agent endpoint, over TCP or the Unix socket. No keep-alive (a
 * fresh local connection is cheap and never stale), a bounded answer, JSON both ways.
 */
import { request, type IncomingHttpHeaders, type RequestOptions } from 'node:http';
import { VkError } from '../errors.js';
import type { EndpointLocation } from './endpoint-location.js';

export interface AgentHttpRequest {
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly headers?: Readonly<Record<string, string>>;
  /** Sent as application/json, or as a form for the OAuth routes. */
  readonly json?: unknown;
  readonly form?: Readonly<Record<string, string>>;
}

export interface AgentHttpAnswer {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: unknown;
}

/** A fetch answer of 1 MiB, base64-encoded and JSON-escaped, stays well under this. */
const MAX_ANSWER_BYTES = 4 * 1024 * 1024;

export function sendAgentRequest(where: EndpointLocation, r: AgentHttpRequest): Promise<AgentHttpAnswer> {
  const { body, type } = encodeBody(r);
  const headers: Record<string, string | number> = { host: where.hostHeader, accept: 'application/json', ...r.headers };
  if (body !== undefined) {
    headers['content-type'] = type;
    headers['content-length'] = body.length;
  }
  return new Promise((resolve, reject) => {
    // servername '' (TLS SNI only, meaningless here) spares Node's check of the host as an IPv6
    // address, whose first use compiles a large regular expression: milliseconds of every CLI start.
    const options: RequestOptions & { servername: string } = { ...where.connect, method: r.method, path: r.path, headers, agent: false, servername: '' };
    const req = request(options, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_ANSWER_BYTES) {
          res.destroy();
          reject(new VkError('internal_error'));
          return;
        }
        chunks.push(chunk);
      });
      res.once('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: parseJson(Buffer.concat(chunks).toString('utf8')) }));
      res.once('error', () => reject(new VkError('engine_unreachable')));
    });
    // Refused, no socket, reset: in every case no engine answered.
    req.once('error', () => reject(new VkError('engine_unreachable')));
    req.end(body);
  });
}

function encodeBody(r: AgentHttpRequest): { body: Buffer | undefined; type: string } {
  if (r.form !== undefined) return { body: Buffer.from(new URLSearchParams({ ...r.form }).toString(), 'utf8'), type: 'application/x-www-form-urlencoded' };
  if (r.json !== undefined) return { body: Buffer.from(JSON.stringify(r.json), 'utf8'), type: 'application/json' };
  return { body: undefined, type: '' };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
