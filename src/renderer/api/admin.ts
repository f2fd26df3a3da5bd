/**
 * The page's one door to the engine: `admin` (the typed AdminApi) and `onEvent`. Inside Electron
 * it is the preload's `window.valetkey`; in a browser (headless mode) it is built from the same
 * contract over same-origin HTTP with the session cookie. Either way every failure arrives as a
 * VkError, and in the browser a grant_required is answered by asking the person, then retrying.
 */
import type { AdminApi } from '../../shared/admin-api.js';
import { adminClientFromCall } from '../../shared/admin-client/admin-client-from-call.js';
import type { AdminEvent } from '../../shared/model.js';
import { callWithGrant } from '../lib/grant-retry.js';
import { bridgeCall } from './bridge-call.js';
import { createBrowserEvents, httpAdminCall } from './browser-transport.js';
import { askForGrant } from './grant-session.js';

const bridge = window.valetkey;

/** True inside the desktop app: grants need no passphrase there (a click in the window is the proof). */
export const inElectron: boolean = bridge !== undefined;

const browserEvents = bridge === undefined ? createBrowserEvents() : undefined;

export const admin: AdminApi =
  bridge === undefined
    ? adminClientFromCall((method, params) => callWithGrant(method, () => httpAdminCall(method, params), askForGrant))
    : adminClientFromCall(bridgeCall(bridge.admin));

/** Follow engine events; the returned function unsubscribes. */
export function onEvent(listener: (event: AdminEvent) => void): () => void {
  if (bridge !== undefined) return bridge.onEvent(listener);
  return browserEvents?.subscribe(listener) ?? (() => undefined);
}

/** Called after the browser's event stream reconnects (events may have been missed). Never in Electron. */
export function onReconnect(listener: () => void): () => void {
  return browserEvents?.onReconnect(listener) ?? (() => undefined);
}
