/** Plain HTTP probes for the transport tests: node:http for ordinary requests, a raw socket for malformed ones. */
import { request, type IncomingHttpHeaders, type OutgoingHttpHeaders } from 'node:http';
import { connect } from 'node:net';

export interface Answer {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

export interface Probe {
  readonly port?: number;
  readonly socketPath?: string;
  readonly method?: string;
  readonly path: string;
  readonly headers?: OutgoingHttpHeaders;
  readonly body?: string | Buffer;
  /** Send the body in pieces without a Content-Length (chunked). */
  readonly chunked?: boolean;
}

export function probe(p: Probe): Promise<Answer> {
  const where = p.socketPath !== undefined ? { socketPath: p.socketPath } : { host: '127.0.0.1', port: p.port };
  return new Promise((resolve, reject) => {
    const req = request({ ...where, method: p.method ?? 'GET', path: p.path, headers: p.headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    if (p.chunked === true && p.body !== undefined) {
      const body = Buffer.from(p.body);
      for (let i = 0; i < body.length; i += 4096) req.write(body.subarray(i, i + 4096));
      req.end();
    } else {
      req.end(p.body);
    }
  });
}

/** Send bytes exactly as given (Node's client would fix a missing or doubled Host) and read the status line. */
export function rawRequest(port: number, text: string): Promise<{ readonly status: number; readonly head: string; readonly body: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', reject);
    socket.on('end', () => {
      const all = Buffer.concat(chunks).toString('utf8');
      const [head = '', body = ''] = all.split('\r\n\r\n');
      resolve({ status: Number(head.split(' ')[1]), head, body });
    });
    socket.write(text.replace(/\n/g, '\r\n'));
  });
}

export function json(answer: Answer): unknown {
  return JSON.parse(answer.body) as unknown;
}
