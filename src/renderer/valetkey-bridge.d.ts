/**
 * What the preload exposes on `window.valetkey`. Declared globally (types only) so the preload
 * builds the object against the same shape the page consumes, without either importing the other.
 */
import type { AdminResultApi } from '../shared/admin-api.js';
import type { AdminEvent } from '../shared/model.js';

declare global {
  interface ValetkeyBridge {
    /** Each method answers an AdminResult (plain data survives the contextBridge; a thrown error would not). */
    readonly admin: AdminResultApi;
    /** Follow engine events; the returned function unsubscribes. */
    onEvent(listener: (event: AdminEvent) => void): () => void;
  }

  interface Window {
    /** Absent when the page is served outside Electron (the headless browser dashboard). */
    readonly valetkey?: ValetkeyBridge;
  }
}

export {};
