/**
 * The engine inside Electron: a `utilityProcess` running the same daemon as headless mode (so the
 * CLI and agents keep working while the app is open), plus the IPC bridge to the main process.
 * Messages are those of src/main/engine-client.ts. Only the main process can reach `parentPort`,
 * and it sets `personPresent` only after checking the sender frame of a click.
 */
import { failedResult, type AdminMethod, type AdminResult, type CallContext } from '../shared/admin-api.js';
import type { AdminEvent } from '../shared/model.js';
import { defaultDataDir } from './config/data-dir.js';
import { startDaemon } from './daemon/daemon.js';
import { toVkError } from './net/safe-error.js';

interface ParentPort {
  on(event: 'message', listener: (e: { data: unknown }) => void): void;
  postMessage(message: unknown): void;
}

interface AdminRequest {
  readonly kind: 'admin';
  readonly id: number;
  readonly method: AdminMethod;
  readonly params: unknown;
  readonly ctx: CallContext;
}

function isAdminRequest(m: unknown): m is AdminRequest {
  const r = m as Partial<AdminRequest> | null;
  return typeof r === 'object' && r !== null && r.kind === 'admin' && typeof r.id === 'number' && typeof r.method === 'string' && typeof r.ctx === 'object';
}

export async function runEngineProcess(): Promise<void> {
  const port = (process as unknown as { parentPort?: ParentPort }).parentPort;
  if (!port) throw new Error('runEngineProcess must run in an Electron utility process');
  const daemon = await startDaemon({ dataDir: defaultDataDir() });
  daemon.engine.subscribe((event: AdminEvent) => port.postMessage({ kind: 'event', event }));
  port.on('message', ({ data }) => {
    if (!isAdminRequest(data)) return;
    void daemon.dispatch(data.method, data.params, data.ctx).then(
      (value) => port.postMessage({ kind: 'result', id: data.id, result: { ok: true, value } satisfies AdminResult<unknown> }),
      (e: unknown) => port.postMessage({ kind: 'result', id: data.id, result: failedResult(toVkError(e)) }),
    );
  });
  const stop = () => void daemon.stop().then(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}
