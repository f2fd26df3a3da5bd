/**
 * Request bodies. docs/security.md: POST bodies are application/json (415 otherwise), at most 64 KiB
 * (413). One exception, on purpose: the three standard OAuth endpoints (/v1/device_authorization,
 * /v1/token, /v1/revoke) also accept application/x-www-form-urlencoded, because RFC 6749/8628/7009
 * clients (oauth4webapi among them) send that. A web page could post such a form, but a browser
 * always adds an Origin header to a cross-site POST, and the endpoint refuses it (403) before any
 * body is read; the Host check stops DNS rebinding.
 */
import type { IncomingMessage } from 'node:http';
import { mediaType, readBodyText, readJsonBody } from '../net/listener-checks.js';
import { VkError, type ErrorCode } from '../../shared/errors.js';

export type BodyKind = 'json' | 'oauth';

/** Always a plain object; for OAuth routes every value is a string. */
export type RequestInput = Readonly<Record<string, unknown>>;

export async function readInput(req: IncomingMessage, kind: BodyKind): Promise<RequestInput> {
  const type = mediaType(req.headers['content-type']);
  if (kind === 'oauth' && type === 'application/x-www-form-urlencoded') return parseForm(await readBodyText(req));
  const body = await readJsonBody(req); // 415 for anything but JSON, 413, 400 for bad JSON
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new VkError('invalid_request', 'the body must be a JSON object');
  return kind === 'oauth' ? stringParams(body as Record<string, unknown>) : (body as RequestInput);
}

/** RFC 6749 §3.2: a parameter sent twice is an error, not "last one wins". */
function parseForm(text: string): RequestInput {
  const out: Record<string, string> = {};
  for (const [name, value] of new URLSearchParams(text)) {
    if (Object.hasOwn(out, name)) throw new VkError('invalid_request', 'a parameter is repeated');
    out[name] = value;
  }
  return out;
}

/** JSON OAuth params: strings as they are, numbers as their decimal text (`"expires_in": 600`). */
function stringParams(body: Readonly<Record<string, unknown>>): RequestInput {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(body)) {
    if (typeof value === 'string') out[name] = value;
    else if (typeof value === 'number' && Number.isFinite(value)) out[name] = String(value);
    else throw new VkError('invalid_request', 'OAuth parameters must be strings or numbers');
  }
  return out;
}

/** A string parameter, or undefined when absent or empty (RFC 6749 §3.1: empty means omitted). */
export function param(input: RequestInput, name: string): string | undefined {
  const value = input[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

export function requireParam(input: RequestInput, name: string, code: ErrorCode = 'invalid_request'): string {
  const value = param(input, name);
  if (value === undefined) throw new VkError(code, `${name} is required`);
  return value;
}

/** A whole number of seconds in [min, max], or undefined when absent. */
export function optionalSeconds(input: RequestInput, name: string, min: number, max: number): number | undefined {
  const text = param(input, name);
  if (text === undefined) return undefined;
  const n = /^\d{1,10}$/.test(text) ? Number(text) : Number.NaN;
  if (!(n >= min && n <= max)) throw new VkError('invalid_request', `${name} must be a whole number of seconds from ${min} to ${max}`);
  return n;
}
