/**
 * `valetkey daemon`: the engine as a long-running process. Takes the data directory's lock,
 * opens the engine (stopping with a clear error if its keys cannot be reached), starts the admin
 * API on loopback and on a 0600 socket, and shuts down gracefully on SIGINT/SIGTERM.
 */
import { AdminService } from '../admin/admin-service.js';
import { dataPaths, ensureDataDir } from '../config/data-dir.js';
import { startAdminServer } from '../admin/transport/admin-http-server.js';
import { Engine } from '../engine.js';
import type { AdminDispatcher } from '../../shared/admin-api.js';
import { acquireInstanceLock } from './instance-lock.js';
import { newSessionSecret, removeAdminInfo, writeAdminInfo } from './admin-info.js';

export interface DaemonOptions {
  readonly dataDir: string;
  readonly adminPort?: number;
  readonly log?: (line: string) => void;
}

export interface RunningDaemon {
  readonly engine: Engine;
  readonly dispatch: AdminDispatcher;
  readonly adminPort: number;
  readonly adminSocket: string;
  stop(): Promise<void>;
}

export async function startDaemon(options: DaemonOptions): Promise<RunningDaemon> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  ensureDataDir(options.dataDir);
  const lock = acquireInstanceLock(dataPaths(options.dataDir).lockFile);
  let engine: Engine | undefined;
  try {
    engine = await Engine.open({ dataDir: options.dataDir });
    const admin = new AdminService(engine);
    const sessionSecret = newSessionSecret();
    const opened = engine;
    const server = await startAdminServer({
      dispatch: admin.dispatch,
      events: (listener) => opened.subscribe(listener),
      sessionSecret,
      tcp: { host: '127.0.0.1', port: options.adminPort ?? 0 },
      socketPath: engine.paths.adminSocket,
    });
    const adminPort = server.tcpPort ?? 0;
    writeAdminInfo(engine.paths.adminInfo, { pid: process.pid, socketPath: engine.paths.adminSocket, tcpPort: adminPort, sessionSecret });
    await engine.audit({ actor: 'engine', action: 'engine.start', outcome: 'ok', detail: { locked: engine.locked, keyStorage: engine.keyStore.kind } });
    log(`valetkey: engine ready (${engine.locked ? 'locked' : 'unlocked'}, keys in ${engine.keyStore.kind === 'keychain' ? 'the OS keychain' : 'the key file'}); admin API on ${engine.paths.adminSocket} and http://127.0.0.1:${adminPort}`);
    let stopping: Promise<void> | undefined;
    const stop = () =>
      (stopping ??= (async () => {
        await server.close();
        await opened.audit({ actor: 'engine', action: 'engine.stop', outcome: 'ok' }).catch(() => undefined);
        removeAdminInfo(opened.paths.adminInfo);
        await opened.close();
        lock.release();
      })());
    return { engine, dispatch: admin.dispatch, adminPort, adminSocket: engine.paths.adminSocket, stop };
  } catch (e) {
    if (engine) await engine.close().catch(() => undefined);
    lock.release();
    throw e;
  }
}

/** Run until SIGINT/SIGTERM. Resolves when stopped. */
export async function runDaemon(options: DaemonOptions): Promise<void> {
  const daemon = await startDaemon(options);
  await new Promise<void>((resolve) => {
    const onSignal = (signal: NodeJS.Signals) => {
      process.stderr.write(`valetkey: ${signal} received, stopping\n`);
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      void daemon.stop().then(resolve);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}
