/**
 * The HTTP request an agent asks `/v1/fetch` to send: `{ method, url, headers?, body? }` with
 * `{{vk://…}}` placeholders in the URL's path and query, in header values and in the body.
 *
 * Placeholders may not sit in the scheme, host or port: where a request goes is decided before
 * any secret is read, and a secret can never choose (or leak through) the destination's name.
 * Details never echo what the agent sent: after filling, it holds secrets.
 *
 * Size limits are checked on the template, each placeholder counted as PLACEHOLDER_ALLOWANCE,
 * before any value is read: an answer that depended on the filled-in size would let an agent pad
 * a request until it fails and so learn a value's length. A value longer than the allowance is
 * refused the same way whatever the template (docs/security.md).
 */
import { VkError } from '../../shared/errors.js';
import { countPlaceholders, fillPlaceholders, findPlaceholders, firstPlaceholderAt } from './placeholders.js';

export const FETCH_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;
export type FetchMethod = (typeof FETCH_METHODS)[number];

/** The outgoing request body is bounded like the endpoint's own (docs/security.md: 64 KiB). */
export const MAX_OUTGOING_BODY = 64 * 1024;
const MAX_URL = 8192;
/** What each placeholder counts for in the size limits: its value, encoded, in UTF-8 bytes, at most. */
export const PLACEHOLDER_ALLOWANCE = 2048;
const MAX_HEADERS = 64;
const MAX_HEADER_VALUE = 8192;
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const UNSAFE_IN_HEADER = /[\r\n\0]/;
// Set by the engine (framing, connection) or forced (identity encoding, so redaction sees plain bytes).
const RESERVED_HEADERS = new Set(['host', 'content-length', 'transfer-encoding', 'connection', 'keep-alive', 'upgrade', 'te', 'trailer', 'expect', 'accept-encoding', 'proxy-connection']);

export type FetchBody = { readonly kind: 'text' | 'json'; readonly text: string };

export interface FetchTemplate {
  readonly method: FetchMethod;
  /** `scheme://host[:port]`, free of placeholders: where the request goes. */
  readonly origin: URL;
  /** Path, query and fragment as sent, placeholders still in. */
  readonly rest: string;
  readonly headers: readonly (readonly [string, string])[];
  readonly body: FetchBody | undefined;
  /** Every reference named anywhere, in order, without repeats. */
  readonly refs: readonly string[];
}

export interface OutgoingRequest {
  readonly method: FetchMethod;
  readonly url: URL;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer | undefined;
}

export function parseFetchRequest(value: unknown): FetchTemplate {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw bad('request must be an object { method, url, headers?, body? }');
  const input = value as Record<string, unknown>;
  const method = parseMethod(input.method);
  const { origin, rest } = splitUrl(input.url);
  const headers = parseHeaders(input.headers);
  const body = parseBody(input.body, method);
  checkBudgets(rest, headers, body);
  const texts = [rest, ...headers.map(([, v]) => v), body?.text ?? ''];
  const refs = [...new Set(texts.flatMap(findPlaceholders))];
  const withType = body?.kind === 'json' && !headers.some(([n]) => n.toLowerCase() === 'content-type') ? [...headers, ['content-type', 'application/json'] as const] : headers;
  return { method, origin, rest, headers: withType, body, refs };
}

/** Each limit holds for the template with every placeholder at its full allowance. */
function checkBudgets(rest: string, headers: readonly (readonly [string, string])[], body: FetchBody | undefined): void {
  const budget = (text: string) => Buffer.byteLength(text, 'utf8') + countPlaceholders(text) * PLACEHOLDER_ALLOWANCE;
  if (budget(rest) > MAX_URL) throw bad(`the url is too long: at most ${MAX_URL} bytes, each placeholder counted as ${PLACEHOLDER_ALLOWANCE}`);
  for (const [, v] of headers) {
    if (budget(v) > MAX_HEADER_VALUE) throw bad(`a header value is too long: at most ${MAX_HEADER_VALUE} bytes, each placeholder counted as ${PLACEHOLDER_ALLOWANCE}`);
  }
  if (body !== undefined && budget(body.text) > MAX_OUTGOING_BODY) {
    throw new VkError('payload_too_large', `the request body is over 64 KiB, each placeholder counted as ${PLACEHOLDER_ALLOWANCE} bytes`);
  }
}

function parseMethod(value: unknown): FetchMethod {
  const method = typeof value === 'string' ? value.toUpperCase() : 'GET';
  if (value !== undefined && !(FETCH_METHODS as readonly string[]).includes(method)) throw bad(`method must be one of ${FETCH_METHODS.join(', ')}`);
  return method as FetchMethod;
}

function splitUrl(value: unknown): { origin: URL; rest: string } {
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_URL) throw bad('url must be an http(s) URL of at most 8192 characters');
  const scheme = /^(https?):\/\//i.exec(value);
  if (scheme === null) throw bad('url must start with https:// (or http:// to a loopback address)');
  const afterScheme = scheme[0].length;
  // WHATWG URLs treat a backslash like a slash in http(s): it ends the authority too.
  const cut = value.slice(afterScheme).search(/[/?#\\]/);
  const authorityEnd = cut === -1 ? value.length : afterScheme + cut;
  const at = firstPlaceholderAt(value);
  if (at !== -1 && at < authorityEnd) throw bad('placeholders may not be in the scheme, host or port');
  let origin: URL;
  try {
    origin = new URL(value.slice(0, authorityEnd));
  } catch {
    throw bad('url is not a valid URL');
  }
  if (origin.username !== '' || origin.password !== '' || origin.hostname === '') throw bad('url must name a host, without user:password@');
  return { origin, rest: value.slice(authorityEnd) };
}

function parseHeaders(value: unknown): (readonly [string, string])[] {
  if (value === undefined || value === null) return [];
  if (typeof value !== 'object' || Array.isArray(value)) throw bad('headers must be an object of name: value strings');
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length > MAX_HEADERS) throw bad(`at most ${MAX_HEADERS} headers`);
  return entries.map(([name, v]) => {
    if (!TOKEN.test(name)) throw bad('a header name is not a valid HTTP token');
    if (RESERVED_HEADERS.has(name.toLowerCase())) throw bad('Host, Content-Length, Connection, Accept-Encoding and other framing headers are set by Valetkey');
    if (typeof v !== 'string' || v.length > MAX_HEADER_VALUE || UNSAFE_IN_HEADER.test(v)) throw bad('header values must be strings without line breaks');
    return [name, v] as const;
  });
}

function parseBody(value: unknown, method: FetchMethod): FetchBody | undefined {
  if (value === undefined || value === null) return undefined;
  if (method === 'GET' || method === 'HEAD') throw bad('GET and HEAD requests have no body');
  if (typeof value === 'string') return { kind: 'text', text: value };
  if (typeof value === 'object') return { kind: 'json', text: JSON.stringify(value) };
  throw bad('body must be a string or a JSON object or array');
}

/** The request with values filled in: URL-encoded in the URL, JSON-escaped in a JSON body, as they are elsewhere. */
export function fillRequest(t: FetchTemplate, values: ReadonlyMap<string, string>): OutgoingRequest {
  const url = new URL(t.origin.origin + fillPlaceholders(t.rest, values, capped(encodeURIComponent)));
  // Filling only touches path and query; make sure the destination is still the checked one.
  if (url.origin !== t.origin.origin) throw bad('the URL changed its destination once filled in');
  const headers: Record<string, string> = { 'accept-encoding': 'identity', connection: 'close' };
  for (const [name, template] of t.headers) {
    const filled = fillPlaceholders(template, values, capped((v) => v));
    if (UNSAFE_IN_HEADER.test(filled)) throw bad('a value cannot go into a header: it holds a line break');
    headers[name.toLowerCase()] = filled;
  }
  const body = t.body === undefined ? undefined : Buffer.from(fillPlaceholders(t.body.text, values, capped(t.body.kind === 'json' ? jsonEscape : (v) => v)), 'utf8');
  return { method: t.method, url, headers, body };
}

/**
 * The encoding, refusing a value over the allowance. The answer depends on the value alone, never
 * on how much the agent padded around it, so it cannot be iterated on to find a length.
 */
function capped(encode: (value: string) => string): (value: string) => string {
  return (value) => {
    const encoded = encode(value);
    if (Buffer.byteLength(encoded, 'utf8') > PLACEHOLDER_ALLOWANCE) throw bad(`a secret is longer than ${PLACEHOLDER_ALLOWANCE} bytes once encoded: it cannot be used in a fetch`);
    return encoded;
  };
}

function jsonEscape(value: string): string {
  return JSON.stringify(value).slice(1, -1);
}

function bad(detail: string): VkError {
  return new VkError('invalid_request', detail);
}
