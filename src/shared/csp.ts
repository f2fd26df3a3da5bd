/**
 * The dashboard's Content Security Policy: only our own scripts, styles and fonts, no plugins,
 * no framing, no forms posting elsewhere, no inline or eval'd code. Shared because two servers
 * send it: the Electron shell (src/main/csp.ts) and the engine's headless dashboard
 * (src/core/dashboard), and neither may import the other. It is repeated in the renderer's
 * index.html meta tag (file: loads carry no headers); a test keeps the two identical.
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
