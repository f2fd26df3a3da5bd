import { shell, type Session, type WebContents } from 'electron';
import { withCsp } from './csp.js';
import { permissionDecision } from './permission-policy.js';
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

/** Our CSP on every response, and no permission (camera, notifications, ...) but the clipboard for our pages. */
export function guardSession(session: Session, appOrigin: string): void {
  session.setPermissionRequestHandler((contents, permission, callback, details) =>
    callback(permissionDecision(permission, details.requestingUrl ?? contents.getURL(), appOrigin)),
  );
  // For file:// pages the requesting origin is just "file://": judge by the page's own URL.
  session.setPermissionCheckHandler((contents, permission, requestingOrigin) => permissionDecision(permission, contents?.getURL() ?? requestingOrigin, appOrigin));
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: withCsp(details.responseHeaders) });
  });
}
