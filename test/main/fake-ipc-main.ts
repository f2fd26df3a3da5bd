import type { InvokeEventLike, InvokeHandler, IpcMainLike } from '../../src/main/ipc-bridge.js';

/** A stand-in for Electron's ipcMain: records handlers and lets a test invoke them as a frame. */
export class FakeIpcMain implements IpcMainLike {
  readonly handlers = new Map<string, InvokeHandler>();
  readonly registrations: string[] = [];

  handle(channel: string, listener: InvokeHandler): void {
    // Electron throws on a second handler for one channel; so does the fake.
    if (this.handlers.has(channel)) throw new Error(`second handler for ${channel}`);
    this.handlers.set(channel, listener);
    this.registrations.push(channel);
  }

  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }

  invoke(channel: string, event: InvokeEventLike, ...args: unknown[]): Promise<unknown> {
    const handler = this.handlers.get(channel);
    if (handler === undefined) throw new Error(`no handler for ${channel}`);
    return handler(event, ...args);
  }
}

export function topFrame(url: string): InvokeEventLike {
  return { senderFrame: { url, parent: null } };
}

export function subFrame(url: string): InvokeEventLike {
  return { senderFrame: { url, parent: { url } } };
}
