/**
 * Sends the filled-in request and reads the answer, within limits: 10 s for the whole exchange,
 * at most 1 MiB of response body (after decompression). Redirects are never followed: a 3xx is
 * returned to the agent as it is (redacted), and a new fetch to its Location goes through the
 * host check again. Certificates are verified (Node's defaults); no proxy, no keep-alive.
 *
 * Errors never carry the URL or the library's message: after filling, the URL may hold secrets.
 */
import { request as httpRequest, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';
import { VkError } from '../../shared/errors.js';
import type { OutgoingRequest } from './fetch-request.js';

export const FETCH_TIMEOUT_MS = 10_000;
export const MAX_RESPONSE_BYTES = 1024 * 1024;

export interface UpstreamResponse {
  readonly status: number;
  readonly statusText: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

export interface UpstreamLimits {
  readonly timeoutMs: number;
  readonly maxResponseBytes: number;
}

const DEFAULT_LIMITS: UpstreamLimits = { timeoutMs: FETCH_TIMEOUT_MS, maxResponseBytes: MAX_RESPONSE_BYTES };

export async function sendUpstream(out: OutgoingRequest, limits: UpstreamLimits = DEFAULT_LIMITS): Promise<UpstreamResponse> {
  const signal = AbortSignal.timeout(limits.timeoutMs);
  const res = await open(out, signal);
  const raw = await readBody(res, limits.maxResponseBytes, signal);
  const body = decode(res.headers['content-encoding'], raw, limits.maxResponseBytes);
  return { status: res.statusCode ?? 0, statusText: res.statusMessage ?? '', headers: res.headers, body };
}

function open(out: OutgoingRequest, signal: AbortSignal): Promise<IncomingMessage> {
  const send = out.url.protocol === 'https:' ? httpsRequest : httpRequest;
  const headers = { ...out.headers, ...(out.body === undefined ? {} : { 'content-length': String(out.body.length) }) };
  return new Promise((resolve, reject) => {
    let req;
    try {
      req = send(out.url, { method: out.method, headers, agent: false, signal }, resolve);
    } catch {
      reject(failed('the request could not be built'));
      return;
    }
    req.once('error', () => reject(failed(signal.aborted ? 'no answer within 10 s' : 'the target could not be reached or closed the connection')));
    req.end(out.body);
  });
}

function readBody(res: IncomingMessage, max: number, signal: AbortSignal): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    res.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > max) {
        chunks.length = 0;
        res.destroy();
        reject(failed('the response is larger than 1 MiB'));
        return;
      }
      chunks.push(chunk);
    });
    res.once('end', () => resolve(Buffer.concat(chunks)));
    res.once('error', () => reject(failed(signal.aborted ? 'no answer within 10 s' : 'the response was cut off')));
    res.once('aborted', () => reject(failed('the response was cut off')));
  });
}

/** We ask for identity; a server that compresses anyway is decoded (bounded), so redaction sees the plain bytes. */
function decode(encoding: string | undefined, raw: Buffer, max: number): Buffer {
  const kind = (encoding ?? 'identity').trim().toLowerCase();
  const options = { maxOutputLength: max };
  try {
    switch (kind) {
      case 'identity':
      case '':
        return raw;
      case 'gzip':
      case 'x-gzip':
        return gunzipSync(raw, options);
      case 'deflate':
        return inflateSync(raw, options);
      case 'br':
        return brotliDecompressSync(raw, options);
      default:
        throw failed('the response uses an unsupported content-encoding');
    }
  } catch (e) {
    throw e instanceof VkError ? e : failed('the compressed response is damaged or larger than 1 MiB');
  }
}

function failed(detail: string): VkError {
  return new VkError('upstream_failed', detail);
}
