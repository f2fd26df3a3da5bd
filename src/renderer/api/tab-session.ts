/**
 * The browser dashboard's per-tab secret. The login link redirects to `/#vk-tab=<secret>`; this
 * module moves it into the tab's sessionStorage and out of the address bar before the router
 * reads the hash. Every admin call sends it in a header, which no other page and no other
 * loopback server can make this browser send (unlike a cookie). Unused inside Electron.
 */
import { DASHBOARD_HTTP } from '../../shared/admin-api.js';

const STORAGE_KEY = 'valetkey.tab';
/** Set by Sign out, so the page (even reloaded) says "you signed out" rather than "session ended". */
const SIGNED_OUT_KEY = 'valetkey.signedOut';
const PREFIX = `#${DASHBOARD_HTTP.fragmentKey}=`;

function adoptFromFragment(): void {
  if (typeof window === 'undefined' || !window.location.hash.startsWith(PREFIX)) return;
  const secret = window.location.hash.slice(PREFIX.length);
  window.history.replaceState(null, '', window.location.pathname);
  if (!/^[A-Za-z0-9_-]{1,128}$/.test(secret)) return;
  window.sessionStorage.setItem(STORAGE_KEY, secret);
  window.sessionStorage.removeItem(SIGNED_OUT_KEY);
}

adoptFromFragment();

/** The header that authenticates this tab, or none before a login. */
export function tabHeaders(): Record<string, string> {
  const secret = typeof window === 'undefined' ? null : window.sessionStorage.getItem(STORAGE_KEY);
  return secret === null ? {} : { [DASHBOARD_HTTP.tabHeader]: secret };
}

/** Signed out: the tab forgets its secret and remembers why it has none. */
export function forgetTab(): void {
  window.sessionStorage.removeItem(STORAGE_KEY);
  window.sessionStorage.setItem(SIGNED_OUT_KEY, '1');
}

/** True once this tab signed out, until a new login link is opened in it. */
export function signedOutHere(): boolean {
  return typeof window !== 'undefined' && window.sessionStorage.getItem(SIGNED_OUT_KEY) !== null;
}
