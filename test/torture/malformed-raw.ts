/**
 * Raw-socket cases of the malformed-input torture: bytes no HTTP client library would send (bad
 * request lines, smuggling-style framing, control bytes in headers, other protocols), each on a
 * fresh connection that is half-closed after the write. Every answer the engine (or Node's HTTP
 * parser in front of it) gives is collected; some inputs are allowed to get no answer at all.
 */
import { connect } from 'node:net';
import type { Target } from './keep-alive-client.js';
import type { Random } from './seeded-random.js';

export interface RawCase {
  readonly name: string;
  readonly bytes: Buffer;
  /** false: closing without an answer is acceptable (garbage, other protocols, a body cut short). */
  readonly answerRequired: boolean;
}

export interface RawAnswer {
  /** Every status line found (pipelined requests get several). */
  readonly statuses: readonly number[];
  readonly text: string;
  readonly timedOut: boolean;
}

type Maker = (t: Target, rng: Random) => Buffer;
const b = (s: string): Buffer => Buffer.from(s, 'latin1');
const head = (t: Target, lines: readonly string[] = []): string => [`Host: ${t.host}`, ...lines].map((l) => `${l}\r\n`).join('');

const CASES: readonly (readonly [string, boolean, Maker])[] = [
  ['random bytes', false, (_t, rng) => rng.bytes(1 + rng.int(400))],
  ['random printable request line', false, (_t, rng) => b(`${rng.bytes(8).toString('base64')} /${rng.bytes(6).toString('hex')} HTTP/1.1\r\n\r\n`)],
  ['no Host (HTTP/1.1)', true, () => b('GET /v1/vaults HTTP/1.1\r\n\r\n')],
  ['no Host (HTTP/1.0)', true, () => b('GET /v1/vaults HTTP/1.0\r\n\r\n')],
  ['space before the colon', true, (t) => b(`GET /v1/vaults HTTP/1.1\r\nHost : ${t.host}\r\n\r\n`)],
  ['obs-fold continuation', false, (t) => b(`GET /v1/vaults HTTP/1.1\r\n${head(t)}X-A: 1\r\n  folded\r\n\r\n`)],
  ['NUL in a header value', true, (t) => b(`GET /v1/vaults HTTP/1.1\r\n${head(t)}X-A: a\u0000b\r\n\r\n`)],
  ['bare CR in a header', true, (t) => b(`GET /v1/vaults HTTP/1.1\r\n${head(t)}X-A: a\rb\r\n\r\n`)],
  ['Content-Length and Transfer-Encoding', true, (t) => b(`POST /v1/resolve HTTP/1.1\r\n${head(t, ['Content-Type: application/json', 'Content-Length: 4', 'Transfer-Encoding: chunked'])}\r\n0\r\n\r\n`)],
  ['two different Content-Lengths', true, (t) => b(`POST /v1/resolve HTTP/1.1\r\n${head(t, ['Content-Type: application/json', 'Content-Length: 2', 'Content-Length: 3'])}\r\n{}`)],
  ['negative Content-Length', true, (t) => b(`POST /v1/resolve HTTP/1.1\r\n${head(t, ['Content-Type: application/json', 'Content-Length: -5'])}\r\n{}`)],
  ['chunk size not hex', true, (t) => b(`POST /v1/resolve HTTP/1.1\r\n${head(t, ['Content-Type: application/json', 'Transfer-Encoding: chunked'])}\r\nzz\r\n{}\r\n0\r\n\r\n`)],
  ['chunked JSON, no credentials', true, (t) => b(`POST /v1/resolve HTTP/1.1\r\n${head(t, ['Content-Type: application/json', 'Transfer-Encoding: chunked'])}\r\n2\r\n{}\r\n0\r\n\r\n`)],
  ['Transfer-Encoding gzip', false, (t) => b(`POST /v1/resolve HTTP/1.1\r\n${head(t, ['Content-Type: application/json', 'Transfer-Encoding: gzip'])}\r\n{}`)],
  ['body shorter than Content-Length, then close', false, (t) => b(`POST /v1/resolve HTTP/1.1\r\n${head(t, ['Content-Type: application/json', 'Content-Length: 5000'])}\r\n{"refs":`)],
  ['absolute-form target', true, (t) => b(`GET http://evil.example/v1/vaults HTTP/1.1\r\n${head(t)}\r\n`)],
  ['asterisk target', true, (t) => b(`OPTIONS * HTTP/1.1\r\n${head(t)}\r\n`)],
  ['CONNECT', false, (t) => b(`CONNECT evil.example:443 HTTP/1.1\r\n${head(t)}\r\n`)],
  ['HTTP/2 preface', false, () => b('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n')],
  ['TLS ClientHello', false, (_t, rng) => Buffer.concat([Buffer.from([0x16, 0x03, 0x01, 0x00, 0xa5, 0x01, 0x00, 0x00, 0xa1, 0x03, 0x03]), rng.bytes(160)])],
  ['header line over 16 KiB', true, (t) => b(`GET /v1/vaults HTTP/1.1\r\n${head(t, [`X-Big: ${'a'.repeat(17_000)}`])}\r\n`)],
  ['3000 headers', true, (t) => b(`GET /v1/vaults HTTP/1.1\r\n${head(t, Array.from({ length: 3000 }, (_, i) => `X-${i}: ${i}`))}\r\n`)],
  ['pipelined: a request, then garbage', false, (t, rng) => Buffer.concat([b(`GET /v1/vaults HTTP/1.1\r\n${head(t)}\r\n`), rng.bytes(50), b('\r\n\r\n')])],
  ['pipelined: ten unauthenticated requests', true, (t) => b(`GET /v1/vaults HTTP/1.1\r\n${head(t)}\r\n`.repeat(10))],
  ['latin-1 bytes in Authorization', true, (t) => Buffer.concat([b(`GET /v1/vaults HTTP/1.1\r\n${head(t)}Authorization: DPoP `), Buffer.from([0xe9, 0xff, 0x80, 0xa0]), b('\r\n\r\n')])],
  ['bytes over 0x7f in the path', false, (t) => Buffer.concat([b('GET /v1/vaults/'), Buffer.from([0xff, 0xfe]), b(`/entries HTTP/1.1\r\n${head(t)}\r\n`)])],
  ['LF-only line endings', false, (t) => b(`GET /v1/vaults HTTP/1.1\nHost: ${t.host}\n\n`)],
  ['lowercase method', false, (t) => b(`get /v1/vaults HTTP/1.1\r\n${head(t)}\r\n`)],
  ['two spaces in the request line', false, (t) => b(`GET  /v1/vaults HTTP/1.1\r\n${head(t)}\r\n`)],
  ['header name with a parenthesis', true, (t) => b(`GET /v1/vaults HTTP/1.1\r\n${head(t)}X(Y): z\r\n\r\n`)],
  ['Expect: 100-continue, no body', false, (t) => b(`POST /v1/resolve HTTP/1.1\r\n${head(t, ['Content-Type: application/json', 'Content-Length: 20', 'Expect: 100-continue'])}\r\n`)],
  ['Upgrade: websocket', false, (t) => b(`GET /v1/vaults HTTP/1.1\r\n${head(t, ['Connection: Upgrade', 'Upgrade: websocket', 'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==', 'Sec-WebSocket-Version: 13'])}\r\n`)],
  ['HTTP/1.1 version garbage', false, (t) => b(`GET /v1/vaults HTTP/9.9\r\n${head(t)}\r\n`)],
];

export const RAW_CASE_COUNT = CASES.length;

/** Case `i` of the catalogue in order for the first round, then random ones. */
export function rawCase(i: number, target: Target, rng: Random): RawCase {
  const entry = i < CASES.length ? CASES[i] : rng.pick(CASES);
  const [name, answerRequired, make] = entry ?? CASES[0]!;
  return { name, answerRequired, bytes: make(target, rng) };
}

export function sendRaw(target: Target, bytes: Buffer, timeoutMs = 10_000): Promise<RawAnswer> {
  return new Promise((resolve) => {
    const socket = target.via === 'tcp' ? connect({ host: '127.0.0.1', port: target.port ?? 0 }) : connect({ path: target.socketPath ?? '' });
    const chunks: Buffer[] = [];
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      socket.destroy();
    }, timeoutMs);
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', () => undefined); // a reset after the answer (or instead of one) is judged by what was read
    socket.on('close', () => {
      clearTimeout(timer);
      const text = Buffer.concat(chunks).toString('latin1');
      const statuses = [...text.matchAll(/HTTP\/1\.[01] (\d{3}) /g)].map((m) => Number(m[1]));
      resolve({ statuses, text, timedOut });
    });
    socket.on('connect', () => {
      socket.write(bytes);
      socket.end();
    });
  });
}
