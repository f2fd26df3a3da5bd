/**
 * What web content may ask of the browser: nothing, except writing to the clipboard (copying a
 * secret) and reading it back (to clear it after 30 s only if it still holds our value), and only
 * for our own pages.
 */
import { isAppUrl } from './app-origin.js';

const CLIPBOARD = new Set(['clipboard-sanitized-write', 'clipboard-read']);

export function permissionDecision(permission: string, requestingUrl: string, appOrigin: string): boolean {
  return CLIPBOARD.has(permission) && isAppUrl(requestingUrl, appOrigin);
}
