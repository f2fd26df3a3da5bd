/**
 * A tiny agent for tests: its own DPoP key (Ed25519 or P-256, made with jose), proofs with an
 * optional nonce and `ath` and a fresh `jti` each time, the `use_dpop_nonce` retry, and raw HTTP
 * over TCP or the Unix socket (node:http), so tests can also send what a well-behaved client
 * never would (two Host headers, an Origin, a token in the query string).
 */
import { randomBytes } from 'node:crypto';
import { request, type IncomingHttpHeaders } from 'node:http';
import { SignJWT, calculateJwkThumbprint, exportJWK, generateKeyPair, type CryptoKey, type JWK } from 'jose';
import { ath } from '../../src/core/auth/ath.js';

/** Where the endpoint listens; `base` is the canonical URL a proof's `htu` must use there. */
export type EndpointTarget =
  | { readonly via: 'tcp'; readonly port: number }
  | { readonly via: 'socket'; readonly socketPath: string };

export function baseOf(target: EndpointTarget): string {
  return target.via === 'tcp' ? `http://127.0.0.1:${target.port}` : 'http://localhost';
}

export interface RawRequest {
  readonly method: string;
  /** Request target as sent: a path, with a query if the test wants one. */
  readonly path: string;
  /** Flat [name, value, name, value, ...] like rawHeaders: repeats are sent as repeats. */
  readonly headers?: readonly string[];
  readonly body?: string | Buffer;
  /** false: send no automatic Host header (the test gives its own, or none). */
  readonly setHost?: boolean;
}

export interface AgentResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- test convenience: parsed JSON
  readonly text: string;
}

/** One HTTP/1.1 request, nothing added but Content-Length (and Host unless setHost is false). */
export function rawRequest(target: EndpointTarget, r: RawRequest): Promise<AgentResponse> {
  const where = target.via === 'tcp' ? { host: '127.0.0.1', port: target.port } : { socketPath: target.socketPath };
  // With raw (array) headers Node adds no Host itself: add the one an ordinary client sends.
  const host = target.via === 'tcp' ? `127.0.0.1:${target.port}` : 'localhost';
  const headers = [...(r.setHost === false ? [] : ['Host', host]), ...(r.headers ?? [])];
  if (r.body !== undefined) headers.push('Content-Length', String(Buffer.byteLength(r.body)));
  return new Promise((resolve, reject) => {
    const req = request({ ...where, method: r.method, path: r.path, headers, setHost: false, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: parseJson(text), text });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(r.body);
  });
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export interface ProofOptions {
  readonly accessToken?: string;
  /** A nonce to put in the proof; undefined: the last one the server sent; null: none. */
  readonly nonce?: string | null;
  readonly htu?: string;
  readonly iat?: number;
  readonly jti?: string;
  readonly claims?: Record<string, unknown>;
  /** Merged into the protected header (e.g. a wrong `typ`). */
  readonly header?: Record<string, unknown>;
}

export interface CallOptions {
  /** JSON body (object) or form body (URLSearchParams); POST only. */
  readonly json?: unknown;
  readonly form?: Record<string, string>;
  readonly token?: string;
  /** Default DPoP when a token is given. */
  readonly scheme?: 'DPoP' | 'Bearer';
  /** Send a DPoP proof (default: yes, unless the scheme is Bearer). */
  readonly proof?: boolean;
  readonly proofOptions?: ProofOptions;
  /** Send these DPoP header values instead of a proof made here (attack tests). */
  readonly dpop?: readonly string[];
  /** Extra raw headers. */
  readonly headers?: readonly string[];
  /** Retry once on use_dpop_nonce with the nonce the server sent (default true). */
  readonly retryNonce?: boolean;
}

export class AgentClient {
  /** The last DPoP-Nonce the server sent. */
  nonce: string | undefined;

  private constructor(
    readonly target: EndpointTarget,
    readonly alg: 'EdDSA' | 'ES256',
    private readonly privateKey: CryptoKey,
    readonly publicJwk: JWK,
    /** RFC 7638 thumbprint of this agent's key. */
    readonly jkt: string,
  ) {}

  static async create(target: EndpointTarget, alg: 'EdDSA' | 'ES256' = 'EdDSA'): Promise<AgentClient> {
    const { publicKey, privateKey } = await generateKeyPair(alg);
    const publicJwk = await exportJWK(publicKey);
    return new AgentClient(target, alg, privateKey, publicJwk, await calculateJwkThumbprint(publicJwk, 'sha256'));
  }

  /** The same key, talking over another listener. */
  via(target: EndpointTarget): AgentClient {
    return new AgentClient(target, this.alg, this.privateKey, this.publicJwk, this.jkt);
  }

  get base(): string {
    return baseOf(this.target);
  }

  async proof(method: string, path: string, o: ProofOptions = {}): Promise<string> {
    const nonce = o.nonce === undefined ? this.nonce : (o.nonce ?? undefined);
    const payload = {
      jti: o.jti ?? randomBytes(16).toString('base64url'),
      htm: method,
      htu: o.htu ?? `${this.base}${path}`,
      ...(o.accessToken === undefined ? {} : { ath: ath(o.accessToken) }),
      ...(nonce === undefined ? {} : { nonce }),
      ...o.claims,
    };
    return new SignJWT(payload)
      .setProtectedHeader({ typ: 'dpop+jwt', alg: this.alg, jwk: this.publicJwk, ...o.header })
      .setIssuedAt(o.iat ?? Math.floor(Date.now() / 1000))
      .sign(this.privateKey);
  }

  /** A route call as an SDK would make it, with one retry on use_dpop_nonce. */
  async call(method: string, path: string, o: CallOptions = {}): Promise<AgentResponse> {
    const first = await this.callOnce(method, path, o);
    if (o.retryNonce === false || first.body?.error !== 'use_dpop_nonce' || this.nonce === undefined) return first;
    return this.callOnce(method, path, o);
  }

  private async callOnce(method: string, path: string, o: CallOptions): Promise<AgentResponse> {
    const headers: string[] = [...(o.headers ?? [])];
    const scheme = o.scheme ?? 'DPoP';
    if (o.token !== undefined) headers.push('Authorization', `${scheme} ${o.token}`);
    if (o.dpop !== undefined) {
      for (const value of o.dpop) headers.push('DPoP', value);
    } else if (o.proof ?? !(o.token !== undefined && scheme === 'Bearer')) {
      const proofPath = path.split('?')[0] ?? path;
      headers.push('DPoP', await this.proof(method, proofPath, { ...(o.token === undefined ? {} : { accessToken: o.token }), ...o.proofOptions }));
    }
    const body = bodyOf(o, headers);
    const res = await rawRequest(this.target, { method, path, headers, ...(body === undefined ? {} : { body }) });
    const nonce = res.headers['dpop-nonce'];
    if (typeof nonce === 'string') this.nonce = nonce;
    return res;
  }
}

function bodyOf(o: CallOptions, headers: string[]): string | undefined {
  if (o.form !== undefined) {
    headers.push('Content-Type', 'application/x-www-form-urlencoded');
    return new URLSearchParams(o.form).toString();
  }
  if (o.json !== undefined) {
    headers.push('Content-Type', 'application/json');
    return JSON.stringify(o.json);
  }
  return undefined;
}
