/**
 * Normalises an HTTP(S) URL for comparing a DPoP `htu` with the route's canonical URL
 * (RFC 9449 §4.3 check 9, RFC 3986 §6.2.2-6.2.3): lowercase scheme and host, default port
 * removed, percent-encoding hex uppercased and unreserved characters decoded, dot segments
 * removed, empty path as "/", query and fragment dropped. Throws TypeError for anything that
 * is not an absolute http(s) URL, or that carries userinfo.
 */
export function normalizeHtu(url: string): string {
  // Percent-encoding first: a decoded "%2E" can then take part in dot-segment removal.
  const parsed = new URL(normalizePercentEncoding(url));
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new TypeError('htu must be an http(s) URL');
  if (parsed.username !== '' || parsed.password !== '') throw new TypeError('htu must not carry userinfo');
  // WHATWG URL has lowercased scheme and host, dropped the default port and removed dot
  // segments; it may have percent-encoded more characters, always in uppercase hex.
  return `${parsed.protocol}//${parsed.host}${normalizePercentEncoding(parsed.pathname)}`;
}

const UNRESERVED = /^[A-Za-z0-9\-._~]$/;

function normalizePercentEncoding(text: string): string {
  return text.replace(/%([0-9A-Fa-f]{2})/g, (_match, hex: string) => {
    const char = String.fromCharCode(Number.parseInt(hex, 16));
    return UNRESERVED.test(char) ? char : `%${hex.toUpperCase()}`;
  });
}
