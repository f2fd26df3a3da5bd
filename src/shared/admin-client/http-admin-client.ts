/**
 * The admin API as a remote client: over the engine's Unix socket or loopback TCP, generated from
 * ADMIN_METHODS like every transport. Used by the CLI and tests (Node only: it imports node:http,
 * so the renderer never loads it). Error answers come back as the VkError the engine threw.
 */
import { request, type IncomingMessage, type RequestOptions } from 'node:http';
import { ADMIN_HTTP, ADMIN_METHODS, type AdminApi, type AdminMethod } from '../admin-api.js';
import { VkError, fromWire } from '../errors.js';
import type { AdminEvent } from '../model.js';
import { adminClientFromCall } from './admin-client-from-call.js';
import { createSseParser, type SseMessage } from './sse-parser.js';

export interface HttpAdminClientOptions {
  readonly socketPath?: string;
  /** `http://127.0.0.1:PORT` (or localhost, [::1]); never a remote host. */
  readonly baseUrl?: string;
  readonly sessionSecret: string;
  /**
   * Runs before every grant-class call (they carry the admin passphrase); it throws to stop the
   * call. The CLI checks here that the server is the engine (engine_unverified otherwise).
   */
  readonly beforeGrant?: () => Promise<void>;
}

export type AdminEventListener = (e: AdminEvent) => void;

export type HttpAdminClient = AdminApi & {
  /** Follow engine events; resolves once the stream is open. `onEnd` hears when the engine ends it. */
  subscribe(listener: AdminEventListener, onEnd?: () => void): Promise<() => void>;
};

interface Target {
  readonly connect: RequestOptions;
  readonly hostHeader: string;
  readonly secret: string;
}

/** Our own engine's answers are small; anything bigger is not it. */
const MAX_RESPONSE_BYTES = 16 * 1024 * 1024;
const LOOPBACK_NAMES = ['127.0.0.1', 'localhost', '[::1]'];

export function createHttpAdminClient(options: HttpAdminClientOptions): HttpAdminClient {
  const target = resolveTarget(options);
  const before = options.beforeGrant;
  const api = adminClientFromCall(async (method, params) => {
    if (before !== undefined && ADMIN_METHODS[method] === 'grant') await before();
    return callMethod(target, method, params);
  });
  return Object.freeze({ ...api, subscribe: (listener: AdminEventListener, onEnd?: () => void) => subscribe(target, listener, onEnd) });
}

function resolveTarget(options: HttpAdminClientOptions): Target {
  const secret = options.sessionSecret;
  if (options.socketPath !== undefined) return { connect: { socketPath: options.socketPath }, hostHeader: 'localhost', secret };
  if (options.baseUrl === undefined) throw new Error('createHttpAdminClient needs socketPath or baseUrl');
  const url = new URL(options.baseUrl);
  // The session secret goes in a header: refuse to send it anywhere but this machine.
  if (url.protocol !== 'http:' || !LOOPBACK_NAMES.includes(url.hostname)) {
    throw new Error('the admin API is reached only over http on 127.0.0.1, localhost or [::1]');
  }
  const port = url.port === '' ? 80 : Number(url.port);
  const host = url.hostname === '[::1]' ? '::1' : url.hostname;
  return { connect: { host, port }, hostHeader: `${url.hostname}:${port}`, secret };
}

async function callMethod(target: Target, method: AdminMethod, params: unknown): Promise<unknown> {
  const body = Buffer.from(JSON.stringify(params ?? {}), 'utf8');
  const res = await open(target, 'POST', `${ADMIN_HTTP.prefix}${method}`, body);
  const result = parseResult(await readAll(res));
  if (result.ok === true) return result.value;
  throw fromWire(result.error);
}

async function subscribe(target: Target, listener: AdminEventListener, onEnd?: () => void): Promise<() => void> {
  const res = await open(target, 'GET', ADMIN_HTTP.events);
  if (res.statusCode !== 200) {
    const refused = parseResult(await readAll(res));
    throw fromWire(refused.ok ? undefined : refused.error);
  }
  let stopped = false;
  const parse = createSseParser();
  res.setEncoding('utf8');
  res.on('data', (chunk: string) => {
    let messages: SseMessage[];
    try {
      messages = parse(chunk);
    } catch {
      res.destroy();
      return;
    }
    for (const message of messages) {
      const event = toEvent(message);
      if (event !== undefined) listener(event);
    }
  });
  res.once('close', () => {
    if (!stopped) onEnd?.();
  });
  return () => {
    stopped = true;
    res.destroy();
  };
}

function toEvent(message: SseMessage): AdminEvent | undefined {
  try {
    const event = JSON.parse(message.data) as AdminEvent;
    return event.type === message.type ? event : undefined;
  } catch {
    return undefined;
  }
}

function open(target: Target, method: 'GET' | 'POST', path: string, body?: Buffer): Promise<IncomingMessage> {
  const headers: Record<string, string | number> = { host: target.hostHeader, [ADMIN_HTTP.sessionHeader]: target.secret };
  if (body !== undefined) {
    headers['content-type'] = 'application/json';
    headers['content-length'] = body.length;
  }
  return new Promise((resolve, reject) => {
    // No keep-alive agent: a reused socket the engine just timed out fails spuriously; a fresh local connection is cheap.
    const req = request({ ...target.connect, method, path, headers, agent: false }, resolve);
    // Refused, no socket file, or reset before an answer: in every case no engine answered.
    req.once('error', () => reject(new VkError('engine_unreachable')));
    req.end(body);
  });
}

function readAll(res: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    res.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_RESPONSE_BYTES) {
        res.destroy();
        reject(new VkError('internal_error'));
        return;
      }
      chunks.push(chunk);
    });
    res.once('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    res.once('error', () => reject(new VkError('engine_unreachable')));
  });
}

type WireResult = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: unknown };

/** Anything that is not an AdminResult is treated as an engine bug (internal_error), never trusted. */
function parseResult(text: string): WireResult {
  try {
    const parsed = JSON.parse(text) as unknown;
    if (typeof parsed === 'object' && parsed !== null && 'ok' in parsed) {
      if (parsed.ok === true) return { ok: true, value: (parsed as { value?: unknown }).value };
      if (parsed.ok === false) return { ok: false, error: (parsed as { error?: unknown }).error };
    }
  } catch {
    // fall through
  }
  return { ok: false, error: undefined };
}
