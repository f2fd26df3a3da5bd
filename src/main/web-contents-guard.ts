import { shell, type Session, type WebContents } from 'electron';
import { withCsp } from './csp.js';
import { EXTERNAL_LINK_ALLOWLIST, isAllowedNavigation, newWindowDecision } from './navigation-policy.js';

/** No navigation away from our pages, no new windows, no <webview>. */
export function guardWebContents(contents: WebContents, appOrigin: string): void {
  const stopForeign = (event: { readonly url: string; preventDefault(): void }): void => {
    if (!isAllowedNavigation(event.url, appOrigin)) event.preventDefault();
  };
  contents.on('will-navigate', stopForeign);
  contents.on('will-redirect', stopForeign);
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    if (newWindowDecision(url, EXTERNAL_LINK_ALLOWLIST).openExternally) void shell.openExternal(url);
    return { action: 'deny' };
  });
}

/** Our CSP on every response, and no permission (camera, notifications, ...) for web content. */
export function guardSession(session: Session): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: withCsp(details.responseHeaders) });
  });
}
