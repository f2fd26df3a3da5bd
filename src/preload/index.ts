/**
 * The only door between the page and the rest of the app: `window.valetkey` with the admin API
 * and an event subscription, nothing else (no ipcRenderer, no Node). Runs sandboxed.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { ADMIN_IPC } from '../shared/admin-api.js';
import type { AdminEvent } from '../shared/model.js';
import { createAdminProxy } from './admin-proxy.js';

function onEvent(listener: (event: AdminEvent) => void): () => void {
  // The IpcRendererEvent is dropped: the page must never get a handle on ipcRenderer through it.
  const relay = (_event: unknown, payload: AdminEvent): void => listener(payload);
  ipcRenderer.on(ADMIN_IPC.events, relay);
  return () => {
    ipcRenderer.removeListener(ADMIN_IPC.events, relay);
  };
}

const bridge: ValetkeyBridge = {
  admin: createAdminProxy((channel, params) => ipcRenderer.invoke(channel, params)),
  onEvent,
};

contextBridge.exposeInMainWorld('valetkey', bridge);
