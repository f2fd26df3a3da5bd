/**
 * The renderer's Content Security Policy: only our own scripts, styles and fonts, no plugins,
 * no framing, no forms posting elsewhere, no inline or eval'd code. It is sent as a response
 * header and repeated in index.html's meta tag (file: loads carry no headers); a test keeps the
 * two identical.
 */
export const CSP_DIRECTIVES: Readonly<Record<string, string>> = {
  'default-src': "'self'",
  'script-src': "'self'",
  'style-src': "'self'",
  'img-src': "'self' data:",
  'font-src': "'self'",
  'connect-src': "'self'",
  'object-src': "'none'",
  'frame-src': "'none'",
  'worker-src': "'none'",
  'base-uri': "'none'",
  'form-action': "'none'",
  'frame-ancestors': "'none'",
};

export const CONTENT_SECURITY_POLICY: string = Object.entries(CSP_DIRECTIVES)
  .map(([name, value]) => `${name} ${value}`)
  .join('; ');

/** Electron's header shape (mutable arrays, as its callback demands). */
type Headers = Record<string, string | string[]>;

/** The response headers with our CSP in place of any the response carried. */
export function withCsp(headers: Readonly<Headers> | undefined): Headers {
  const result: Headers = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (name.toLowerCase() !== 'content-security-policy') result[name] = value;
  }
  result['Content-Security-Policy'] = [CONTENT_SECURITY_POLICY];
  return result;
}
