/**
 * HTTP/1.1 to the agent endpoint over TCP (loopback) or the Unix socket, with DPoP proofs and the
 * server-nonce dance (docs/tokens.md §4-5): every answer's `DPoP-Nonce` is kept and put in the
 * next proof, and a `use_dpop_nonce` answer is retried once with a fresh proof.
 */
import { request, type IncomingHttpHeaders, type RequestOptions } from 'node:http';
import type { DpopKey } from './dpop-key.js';
import type { Endpoint } from './endpoint.js';
import { errorFromAnswer, makeError } from './errors.js';

export interface Answer {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: unknown;
}

export interface Call {
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly json?: unknown;
  readonly form?: Readonly<Record<string, string>>;
  /** The access token, sent as `Authorization: <scheme> <token>`. */
  readonly token?: { readonly value: string; readonly scheme: 'DPoP' | 'Bearer' };
  /** The key that signs the proof; none: no DPoP header. */
  readonly key?: DpopKey;
  /** The token named by the proof's `ath`: the Authorization token, or a subject token in an exchange. */
  readonly proofToken?: string;
}

/** Our own engine's answers are small; a use() response is at most 1 MiB before JSON escaping. */
const MAX_ANSWER_BYTES = 8 * 1024 * 1024;

export class AgentHttp {
  /** The latest `DPoP-Nonce` the engine sent. */
  private nonce: string | undefined;

  constructor(
    readonly endpoint: Endpoint,
    /** Long enough for a person to answer an approval prompt (the engine waits up to 120 s). */
    readonly timeoutMs = 180_000,
  ) {}

  /** Sends the call; answers 2xx as the parsed body, anything else as a typed ValetkeyError. */
  async call(c: Call): Promise<Record<string, unknown>> {
    let answer = await this.once(c);
    if (errorCode(answer) === 'use_dpop_nonce' && c.key !== undefined) answer = await this.once(c);
    if (answer.status < 200 || answer.status >= 300) throw errorFromAnswer(answer.status, answer.body);
    return typeof answer.body === 'object' && answer.body !== null ? (answer.body as Record<string, unknown>) : {};
  }

  private async once(c: Call): Promise<Answer> {
    const headers: Record<string, string> = { Host: this.endpoint.hostHeader, Accept: 'application/json' };
    if (c.token !== undefined) headers.Authorization = `${c.token.scheme} ${c.token.value}`;
    if (c.key !== undefined) {
      const ath = c.proofToken ?? c.token?.value;
      headers.DPoP = c.key.proof({
        htm: c.method,
        htu: `${this.endpoint.base}${c.path}`,
        ...(ath === undefined ? {} : { accessToken: ath }),
        ...(this.nonce === undefined ? {} : { nonce: this.nonce }),
      });
    }
    const body = encodeBody(c, headers);
    const answer = await this.send(c.method, c.path, headers, body);
    const nonce = answer.headers['dpop-nonce'];
    // An empty nonce is no nonce: keep the last real one rather than send `nonce: ""`.
    if (typeof nonce === 'string' && nonce !== '') this.nonce = nonce;
    return answer;
  }

  private send(method: string, path: string, headers: Record<string, string>, body: Buffer | undefined): Promise<Answer> {
    const ep = this.endpoint;
    const where = ep.via === 'tcp' ? { host: ep.host, port: ep.port } : { socketPath: ep.socketPath };
    if (body !== undefined) headers['Content-Length'] = String(body.length);
    return new Promise((resolve, reject) => {
      // servername '' (TLS SNI only, meaningless here) spares Node's check of the host as an IPv6
      // address, whose first use compiles a large regular expression: milliseconds of every CLI start.
      const options: RequestOptions & { servername: string } = { ...where, method, path, headers, agent: false, timeout: this.timeoutMs, servername: '' };
      const req = request(options, (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_ANSWER_BYTES) res.destroy(new Error('answer too large'));
          else chunks.push(chunk);
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: parseJson(Buffer.concat(chunks)) }));
        res.on('error', () => reject(makeError('engine_unreachable', 'The connection to Valetkey broke before the answer was complete.')));
      });
      let timedOut = false;
      req.on('timeout', () => {
        timedOut = true;
        req.destroy();
      });
      req.on('error', () =>
        reject(
          timedOut
            ? makeError('timeout', `Valetkey did not answer within ${Math.round(this.timeoutMs / 1000)} s.`)
            : makeError('engine_unreachable', `No Valetkey engine answers at ${describe(ep)}. Is Valetkey running?`),
        ),
      );
      req.end(body);
    });
  }
}

function encodeBody(c: Call, headers: Record<string, string>): Buffer | undefined {
  if (c.form !== undefined) {
    headers['Content-Type'] = 'application/x-www-form-urlencoded';
    return Buffer.from(new URLSearchParams(c.form).toString(), 'utf8');
  }
  if (c.json !== undefined) {
    headers['Content-Type'] = 'application/json';
    return Buffer.from(JSON.stringify(c.json), 'utf8');
  }
  return undefined;
}

function parseJson(raw: Buffer): unknown {
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch {
    return undefined;
  }
}

function errorCode(answer: Answer): unknown {
  return typeof answer.body === 'object' && answer.body !== null ? (answer.body as { error?: unknown }).error : undefined;
}

export function describe(ep: Endpoint): string {
  return ep.via === 'tcp' ? ep.base : ep.socketPath;
}
