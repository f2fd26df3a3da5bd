/**
 * The torture suite's HTTP client: raw header lists (repeats and odd cases sent as given) over
 * keep-alive connections, on TCP or the Unix socket. It never throws: a connection that dies
 * before an answer comes back as status 0 with the socket error's code, which is what the
 * kill -9 test counts and the malformed-input test treats as a failure.
 */
import { Agent, request, type ClientRequest } from 'node:http';

/** Where the engine's agent endpoint listens, and the Host header an ordinary client sends there. */
export interface Target {
  readonly via: 'tcp' | 'socket';
  readonly port?: number;
  readonly socketPath?: string;
  readonly host: string;
  /** The canonical base a proof's `htu` names on this listener. */
  readonly base: string;
}

export interface Outgoing {
  readonly method: string;
  readonly path: string;
  /** Flat [name, value, ...]; Host is added unless `setHost` is false. */
  readonly headers: readonly string[];
  readonly body?: string | Buffer;
  readonly setHost?: boolean;
}

export interface Answer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly text: string;
  /** Socket error code when status is 0. */
  readonly error?: string;
  /** process.hrtime.bigint() just before the request was handed to the socket. */
  readonly sentAt: bigint;
  /** The request went out on a kept-alive connection (which the server may have closed meanwhile). */
  readonly reused: boolean;
}

export function keepAliveAgent(maxSockets: number): Agent {
  return new Agent({ keepAlive: true, maxSockets });
}

export function send(agent: Agent | false, target: Target, o: Outgoing): Promise<Answer> {
  const where = target.via === 'tcp' ? { host: '127.0.0.1', port: target.port } : { socketPath: target.socketPath };
  const headers = [...(o.setHost === false ? [] : ['Host', target.host]), ...o.headers];
  if (o.body !== undefined) headers.push('Content-Length', String(Buffer.byteLength(o.body)));
  return new Promise((resolve) => {
    let sentAt = process.hrtime.bigint();
    let req: ClientRequest | undefined;
    const reused = (): boolean => req?.reusedSocket === true;
    const fail = (e: NodeJS.ErrnoException): void => resolve({ status: 0, headers: {}, text: '', error: e.code ?? e.message, sentAt, reused: reused() });
    try {
      req = request({ ...where, agent, method: o.method, path: o.path, headers, setHost: false }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8'), sentAt, reused: reused() }));
        res.on('error', fail);
      });
    } catch (e) {
      fail(e as NodeJS.ErrnoException); // Node refused to send it (an invalid header character)
      return;
    }
    req.on('error', fail);
    sentAt = process.hrtime.bigint();
    req.end(o.body);
  });
}

/** Parsed JSON of an answer, or undefined. */
export function json(answer: Answer): Record<string, unknown> | undefined {
  try {
    const v = JSON.parse(answer.text) as unknown;
    return typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
