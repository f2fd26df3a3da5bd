/**
 * `valetkey daemon`: the engine as a long-running process. Takes the data directory's lock,
 * opens the engine (stopping with a clear error if its keys cannot be reached), starts the admin
 * API on loopback and on a 0600 socket, and shuts down gracefully on SIGINT/SIGTERM.
 */
import { createAdminService } from '../admin-handlers.js';
import { loadAdminSchemas, type AdminService } from '../admin/admin-service.js';
import { dataPaths, ensureDataDir } from '../config/data-dir.js';
import { startAdminServer } from '../admin/transport/admin-http-server.js';
import { Engine } from '../engine.js';
import type { AdminDispatcher } from '../../shared/admin-api.js';
import { acquireInstanceLock } from './instance-lock.js';
import { startEngineEndpoint } from './engine-endpoint.js';
import { loadWireSchemas } from '../endpoint/wire-body.js';
import { announceDashboard, startHeadlessDashboard, type HeadlessDashboard } from '../dashboard/headless-dashboard.js';
import { newSessionSecret, removeAdminInfo, writeAdminInfo } from './admin-info.js';
import { startAuditOut } from '../audit-out/start-audit-out.js';
import { startIdleCollector } from './idle-collector.js';

export interface DaemonOptions {
  readonly dataDir: string;
  readonly adminPort?: number;
  readonly log?: (line: string) => void;
  /** Also serve the browser dashboard on 127.0.0.1 (headless mode), printing a one-time login URL. */
  readonly headless?: boolean;
  /** The dashboard's port; 0 or absent: random. */
  readonly dashboardPort?: number;
  /** Where the built dashboard is; default out/renderer in the package. */
  readonly rendererDir?: string;
  /** How long an agent's access waits for a person's approval (default 120 s). */
  readonly approvalTimeoutMs?: number;
  /**
   * The admin passphrase a first-run set-up in this same process has just proven: a key-file
   * engine starts unlocked with it instead of asking again. Never read from argv, env or a file.
   */
  readonly unlockWith?: string;
  /** The admin passphrase of a person accepting a database older than the keychain's high-water mark. */
  readonly acceptOlderDatabase?: string;
}

export interface RunningDaemon {
  readonly engine: Engine;
  readonly dispatch: AdminDispatcher;
  readonly adminPort: number;
  readonly adminSocket: string;
  /** Set in headless mode. */
  readonly dashboardPort?: number;
  stop(): Promise<void>;
}

export async function startDaemon(options: DaemonOptions): Promise<RunningDaemon> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  ensureDataDir(options.dataDir);
  const lock = acquireInstanceLock(dataPaths(options.dataDir).lockFile);
  let engine: Engine | undefined;
  try {
    engine = await Engine.open({
      dataDir: options.dataDir,
      auditWriterThread: true,
      ...(options.approvalTimeoutMs ? { approvalTimeoutMs: options.approvalTimeoutMs } : {}),
      ...(options.acceptOlderDatabase !== undefined ? { acceptOlderDatabase: options.acceptOlderDatabase } : {}),
    });
    if (options.unlockWith !== undefined && engine.locked) {
      await engine.unlock(options.unlockWith);
      await engine.audit({ actor: 'person', action: 'engine.unlock', outcome: 'ok', detail: { via: 'setup' } });
    }
    const admin = createAdminService(engine);
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
    const agents = await startEngineEndpoint(engine).catch(async (e: unknown) => {
      await server.close();
      throw e;
    });
    writeAdminInfo(engine.paths.adminInfo, { pid: process.pid, socketPath: engine.paths.adminSocket, tcpPort: adminPort, sessionSecret });
    await engine.audit({ actor: 'engine', action: 'engine.start', outcome: 'ok', detail: { locked: engine.locked, keyStorage: engine.keyStore.kind } });
    const dashboard = options.headless === true ? await startHeadless(engine, admin, options, server) : undefined;
    const auditOut = startAuditOut(engine, { log });
    const idle = startIdleCollector();
    log(`valetkey: engine ready (${engine.locked ? 'locked' : 'unlocked'}, keys in ${engine.keyStore.kind === 'keychain' ? 'the OS keychain' : 'the key file'}); admin API on ${engine.paths.adminSocket} and http://127.0.0.1:${adminPort}; agents connect to ${agents.url} or ${agents.socketPath}`);
    if (dashboard) announceDashboard(dashboard, log);
    // Loaded now the engine is ready (not before: cold start is measured), so no admin call or agent request waits for them.
    void loadAdminSchemas();
    void loadWireSchemas();
    let stopping: Promise<void> | undefined;
    const stop = () =>
      (stopping ??= (async () => {
        idle.stop();
        await dashboard?.server.close();
        await agents.close();
        await server.close();
        await auditOut.stop();
        await opened.audit({ actor: 'engine', action: 'engine.stop', outcome: 'ok' }).catch(() => undefined);
        removeAdminInfo(opened.paths.adminInfo);
        await opened.close();
        lock.release();
      })());
    return { engine, dispatch: admin.dispatch, adminPort, adminSocket: engine.paths.adminSocket, ...(dashboard ? { dashboardPort: dashboard.server.port } : {}), stop };
  } catch (e) {
    if (engine) await engine.close().catch(() => undefined);
    lock.release();
    throw e;
  }
}

/** The dashboard next to the admin API; if it cannot start, the admin API stops too. */
async function startHeadless(engine: Engine, admin: AdminService, options: DaemonOptions, adminServer: { close(): Promise<void> }): Promise<HeadlessDashboard> {
  try {
    return await startHeadlessDashboard(engine, admin.dispatch, { port: options.dashboardPort, rendererDir: options.rendererDir });
  } catch (e) {
    await adminServer.close();
    throw e;
  }
}

/** Run until SIGINT/SIGTERM. Resolves when stopped. */
export async function runDaemon(options: DaemonOptions): Promise<void> {
  // Handlers go in before start-up: a signal that arrives while starting (or right after the
  // ready line) still shuts down cleanly instead of killing the process mid-write.
  let received: NodeJS.Signals | undefined;
  let wake: (() => void) | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    received ??= signal;
    wake?.();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const daemon = await startDaemon(options);
    if (received === undefined) await new Promise<void>((resolve) => (wake = resolve));
    process.stderr.write(`valetkey: ${received ?? 'signal'} received, stopping\n`);
    await daemon.stop();
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
