/**
 * The renderer's Content Security Policy lives in src/shared/csp.ts (the headless dashboard sends
 * it too); here it is put on the Electron shell's responses.
 */
import { CONTENT_SECURITY_POLICY } from '../shared/csp.js';

export { CONTENT_SECURITY_POLICY, CSP_DIRECTIVES } from '../shared/csp.js';

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
