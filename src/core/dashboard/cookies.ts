/**
 * The dashboard's two cookies: `vk_session` (the browser is logged in) and `vk_grant` (a grant
 * session opened with the admin passphrase, at most 15 minutes). Both HttpOnly, so page scripts
 * never see them; SameSite=Strict, so no other site's page makes the browser send them; Path=/.
 * No Secure flag: the dashboard is plain http on loopback, where browsers would drop it.
 */
import type { IncomingMessage } from 'node:http';

export const COOKIE = {
  session: 'vk_session',
  grant: 'vk_grant',
} as const;

export type CookieName = (typeof COOKIE)[keyof typeof COOKIE];

/** Our values are base64url, so anything else is not one of ours and is ignored. */
const VALUE = /^[A-Za-z0-9_-]{1,128}$/;

/** The value of one of our cookies, or undefined (absent, malformed, or sent twice). */
export function readCookie(req: IncomingMessage, name: CookieName): string | undefined {
  const header = req.headers.cookie;
  if (header === undefined) return undefined;
  const found: string[] = [];
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq === -1 || part.slice(0, eq).trim() !== name) continue;
    found.push(part.slice(eq + 1).trim());
  }
  // Two values means someone planted one; trusting either would be a guess.
  const [value] = found;
  return found.length === 1 && value !== undefined && VALUE.test(value) ? value : undefined;
}

/** A Set-Cookie value; `maxAgeSeconds` 0 deletes the cookie, undefined makes it last the browser session. */
export function setCookie(name: CookieName, value: string, maxAgeSeconds?: number): string {
  const parts = [`${name}=${value}`, 'HttpOnly', 'SameSite=Strict', 'Path=/'];
  if (maxAgeSeconds !== undefined) parts.push(`Max-Age=${Math.max(0, Math.floor(maxAgeSeconds))}`);
  return parts.join('; ');
}

export function clearCookie(name: CookieName): string {
  return setCookie(name, '', 0);
}
