/**
 * What `/v1/fetch` answers: the target's status, headers and body with every substituted value
 * (and its base64, URL-encoded and JSON-escaped forms) replaced by `[REDACTED:vk://…]`. Hop-by-hop
 * and framing headers are dropped: they described the connection to the target, not the answer.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { FetchAnswer } from '../../shared/model.js';
import { SecretMatcher, redactBytes, type SecretToHide } from './secret-matcher.js';
import type { UpstreamResponse } from './upstream.js';

const DROPPED = new Set(['connection', 'keep-alive', 'transfer-encoding', 'te', 'trailer', 'upgrade', 'proxy-connection', 'content-length', 'content-encoding']);

/** One entry per distinct substituted value; the label names the reference it came from. */
export function redactionsFor(values: ReadonlyMap<string, string>): SecretToHide[] {
  return [...values].map(([ref, value]) => ({ value, replacement: `[REDACTED:${ref}]` }));
}

export function redactAnswer(res: UpstreamResponse, secrets: readonly SecretToHide[]): FetchAnswer {
  const matcher = new SecretMatcher(secrets);
  let redactions = 0;
  const text = (value: string): string => {
    // Node hands header values over as latin1 (one char per byte): the matcher's own representation.
    const { out, replaced } = matcher.scan(value, true);
    redactions += replaced;
    return Buffer.from(out, 'latin1').toString('utf8');
  };
  const headers = redactHeaders(res.headers, text);
  const body = redactBytes(matcher, res.body);
  redactions += body.replaced;
  const utf8 = decodeUtf8(body.bytes);
  return {
    status: res.status,
    statusText: text(res.statusText),
    headers,
    body: utf8 ?? body.bytes.toString('base64'),
    bodyEncoding: utf8 === undefined ? 'base64' : 'utf8',
    redactions,
  };
}

function redactHeaders(headers: IncomingHttpHeaders, text: (v: string) => string): Record<string, string | readonly string[]> {
  const out: Record<string, string | readonly string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || DROPPED.has(name)) continue;
    out[name] = Array.isArray(value) ? value.map(text) : text(String(value));
  }
  return out;
}

function decodeUtf8(bytes: Buffer): string | undefined {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}
