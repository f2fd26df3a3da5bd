import { isAppUrl } from './app-origin.js';

/** Hosts whose links may open in the person's browser; everything else is ignored. */
export const EXTERNAL_LINK_ALLOWLIST: readonly string[] = ['valetkey.dev', 'github.com'];

export type ExternalLinkDecision = 'open-external' | 'deny';

/** The window may only ever show our own pages; any other navigation is stopped. */
export function isAllowedNavigation(url: string, appOrigin: string): boolean {
  return isAppUrl(url, appOrigin);
}

/**
 * A link to the outside opens in the system browser only if it is plain https to an allowlisted
 * host without credentials in it; anything else (file:, javascript:, custom schemes) is dropped
 * so a page cannot launch local programs through a URL handler.
 */
export function externalLinkDecision(url: string, allowlist: readonly string[]): ExternalLinkDecision {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'deny';
  }
  if (parsed.protocol !== 'https:' || parsed.username !== '' || parsed.password !== '') return 'deny';
  const host = parsed.hostname.toLowerCase();
  return allowlist.some((allowed) => allowed.toLowerCase() === host) ? 'open-external' : 'deny';
}

/** window.open and target=_blank never create a window; at most the link opens outside. */
export function newWindowDecision(
  url: string,
  allowlist: readonly string[],
): { readonly action: 'deny'; readonly openExternally: boolean } {
  return { action: 'deny', openExternally: externalLinkDecision(url, allowlist) === 'open-external' };
}
