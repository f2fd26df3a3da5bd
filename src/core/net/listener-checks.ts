/**
 * The checks every Valetkey listener makes (docs/security.md, "Listener"): where its Unix socket may
 * live, which Host and Origin headers it answers, and how it reads and writes JSON. Shared by the
 * admin transport and the agent endpoint, so nothing here knows about either.
 */
import { lstatSync, mkdirSync, unlinkSync, type Stats } from 'node:fs';
import type { IncomingHttpHeaders, IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { connect } from 'node:net';
import { dirname } from 'node:path';
import { VkError, type WireError } from '../../shared/errors.js';
import { toVkError } from './safe-error.js';

/** A listener will not start. Plain Error, not VkError: it is said to the person at start-up, not to a client. */
export class ListenerRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ListenerRefused';
  }
}

/** Undefined on Windows, where ownership and mode bits mean nothing and these checks are skipped. */
function ourUid(): number | undefined {
  return process.getuid?.();
}

/**
 * Create the socket directory (0700) if absent, then refuse to use it unless it is a real
 * directory, ours, and closed to group and others. Never chmod: a directory we did not make the
 * way we make it may be someone else's, and "fixing" it would hide the problem.
 */
export function prepareSocketDir(dir: string): void {
  mkdirSync(dirname(dir), { recursive: true });
  try {
    mkdirSync(dir, { mode: 0o700 });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  }
  const st = lstatSync(dir);
  if (st.isSymbolicLink()) refuse(dir, 'is a symbolic link', 'Remove the link; Valetkey creates the directory itself.');
  if (!st.isDirectory()) refuse(dir, 'is not a directory', 'Move the file away; Valetkey creates the directory itself.');
  const uid = ourUid();
  if (uid === undefined) return;
  if (st.uid !== uid) refuse(dir, `is owned by uid ${st.uid}, not by this user (uid ${uid})`, 'Use a directory of your own (set XDG_RUNTIME_DIR or VALETKEY_HOME).');
  if ((st.mode & 0o077) !== 0) {
    const mode = (st.mode & 0o777).toString(8).padStart(4, '0');
    refuse(dir, `has mode ${mode}, open to group or others`, `Run \`chmod 700 ${dir}\` if it is yours, or remove it.`);
  }
}

function refuse(path: string, what: string, fix: string): never {
  throw new ListenerRefused(`Refusing to listen: ${path} ${what}. ${fix}`);
}

/**
 * Make `path` free for our socket. Only our own stale socket (ours, and nothing answers on it) is
 * removed; a live socket means another engine; anything else is not ours to delete.
 */
export async function claimSocketPath(path: string): Promise<void> {
  let st: Stats;
  try {
    st = lstatSync(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw e;
  }
  if (!st.isSocket()) refuse(path, 'exists and is not a socket', 'Move it away; Valetkey never deletes what it did not create.');
  const uid = ourUid();
  if (uid !== undefined && st.uid !== uid) refuse(path, `is a socket owned by uid ${st.uid}`, 'Remove it as that user, or use another data directory.');
  const answer = await probeSocket(path);
  if (answer === 'live') refuse(path, 'is in use: another engine is listening', 'Stop the other engine, or use another VALETKEY_HOME.');
  if (answer === 'unknown') refuse(path, 'cannot be checked', 'Check its permissions, or remove it if no engine is running.');
  unlinkSync(path);
}

function probeSocket(path: string): Promise<'live' | 'stale' | 'unknown'> {
  return new Promise((resolve) => {
    const socket = connect(path);
    socket.once('connect', () => {
      socket.destroy();
      resolve('live');
    });
    socket.once('error', (e: NodeJS.ErrnoException) => resolve(e.code === 'ECONNREFUSED' ? 'stale' : 'unknown'));
  });
}

export type HostCheck = 'ok' | 'missing_or_repeated' | 'forbidden';

/**
 * DNS-rebinding guard. Reads `rawHeaders` because Node keeps only the first of repeated Host
 * headers in `req.headers`, which would hide a second one. Over the Unix socket the only Host
 * is `localhost`, the name HTTP clients send there.
 */
export function checkHostHeader(rawHeaders: readonly string[], port: number, options: { readonly socket?: boolean } = {}): HostCheck {
  const values: string[] = [];
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    if (rawHeaders[i]?.toLowerCase() === 'host') values.push(rawHeaders[i + 1] ?? '');
  }
  if (values.length !== 1) return 'missing_or_repeated';
  const host = (values[0] ?? '').trim().toLowerCase();
  const allowed = options.socket === true ? ['localhost'] : [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`];
  return allowed.includes(host) ? 'ok' : 'forbidden';
}

/** Programs send no Origin; browsers always do, and a page may reach loopback. Refuse unless allowlisted. */
export function checkOrigin(headers: IncomingHttpHeaders, allowlist: readonly string[]): boolean {
  const origin = headers.origin;
  if (origin === undefined) return true;
  if (typeof origin !== 'string') return false;
  const wanted = origin.trim().toLowerCase();
  return allowlist.some((allowed) => allowed.toLowerCase() === wanted);
}

export const DEFAULT_BODY_LIMIT = 65_536;

/**
 * Read a JSON body: application/json only (a browser cannot send it cross-origin without a
 * preflight), at most `limitBytes`, stopping as soon as the limit is passed.
 */
export async function readJsonBody(req: IncomingMessage, limitBytes = DEFAULT_BODY_LIMIT): Promise<unknown> {
  if (mediaType(req.headers['content-type']) !== 'application/json') throw new VkError('unsupported_media_type');
  const text = await readBodyText(req, limitBytes);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    // The parser's message quotes the body, which may hold a passphrase: say nothing of it.
    throw new VkError('invalid_request', 'the body is not valid JSON');
  }
}

/** The media type of a Content-Type header, lower-cased, without its parameters ('' when absent). */
export function mediaType(value: string | undefined): string {
  return (value ?? '').split(';', 1)[0]?.trim().toLowerCase() ?? '';
}

/** A body as UTF-8 text, at most `limitBytes` (413 past it), stopping as soon as the limit is passed. */
export function readBodyText(req: IncomingMessage, limitBytes = DEFAULT_BODY_LIMIT): Promise<string> {
  if (Number(req.headers['content-length'] ?? 0) > limitBytes) return Promise.reject(new VkError('payload_too_large'));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size <= limitBytes) {
        chunks.push(chunk);
        return;
      }
      // Stop keeping anything; the rest drains unbuffered while the 413 goes out.
      chunks.length = 0;
      req.off('data', onData);
      req.resume();
      reject(new VkError('payload_too_large'));
    };
    req.on('data', onData);
    req.once('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.once('error', () => reject(new VkError('invalid_request', 'the body could not be read')));
  });
}

const BASE_HEADERS = {
  'Cache-Control': 'no-store',
  'Content-Type': 'application/json',
  'X-Content-Type-Options': 'nosniff',
} as const;

/** The only way listeners answer JSON: no caching, no sniffing, and never a CORS header. */
export function sendJson(res: ServerResponse, status: number, body: unknown, extraHeaders: OutgoingHttpHeaders = {}): void {
  const payload = Buffer.from(JSON.stringify(body), 'utf8');
  const headers: OutgoingHttpHeaders = { ...withoutCors(extraHeaders), ...BASE_HEADERS, 'Content-Length': payload.length };
  res.writeHead(status, headers);
  res.end(payload);
}

function withoutCors(headers: OutgoingHttpHeaders): OutgoingHttpHeaders {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !name.toLowerCase().startsWith('access-control-')));
}

/** The status and wire body for any thrown value; unknown errors become internal_error (and are logged safely). */
export function errorResponse(e: unknown): { readonly status: number; readonly wire: WireError } {
  const vk = toVkError(e);
  return { status: vk.status, wire: vk.toJSON() };
}

/** Answer `{error, error_description}` for a thrown value. */
export function sendError(res: ServerResponse, e: unknown, extraHeaders: OutgoingHttpHeaders = {}): void {
  const { status, wire } = errorResponse(e);
  if (res.headersSent) {
    res.destroy();
    return;
  }
  sendJson(res, status, wire, extraHeaders);
}
