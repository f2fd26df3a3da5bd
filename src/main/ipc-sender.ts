import { isAppUrl } from './app-origin.js';

/**
 * Whether an IPC message may be answered: it must come from the top frame of one of our own
 * pages. A subframe (even of our page) or a page from anywhere else is refused, as VS Code does,
 * because only our top frame is the person's click in the app's own window.
 */
export function isTrustedSender(frameUrl: string, isMainFrame: boolean, appOrigin: string): boolean {
  return isMainFrame && isAppUrl(frameUrl, appOrigin);
}
