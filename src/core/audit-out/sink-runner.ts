/**
 * Runs the live sinks inside the engine process: one SinkWorker per enabled sink, woken by every
 * audit commit, restarted when a sink is added, changed or removed.
 *
 * Sinks with a credential (HEC token, webhook key) run only while the engine is unlocked: the
 * credential is sealed under the master key, and "locked" means no key material in memory. They
 * pause on lock (their cursor stays where the receiver got to) and catch up on unlock. Syslog
 * sinks hold no credential and run locked or not.
 */
import type { AuditOutEngine } from './audit-out-engine.js';
import { readAnchor } from '../audit/audit-anchor.js';
import { DEFAULT_TRANSPORT_OPTIONS, openSinkTransport, type TransportOptions } from './open-sink-transport.js';
import { DEFAULT_BATCH, needsCredential } from './sink-config.js';
import { openSinkCredential } from './sink-credential.js';
import type { SinkRecord } from './sink-store.js';
import type { SinkTransport } from './sink-transport.js';
import { SinkWorker, type WorkerTiming } from './sink-worker.js';

export interface SinkRunnerOptions {
  readonly timing?: Partial<WorkerTiming>;
  readonly transport?: Partial<TransportOptions>;
}

export interface AuditSinkRunner {
  /** Waits until the workers match the sinks in the database (after a change, for tests). */
  sync(): Promise<void>;
  stop(): Promise<void>;
}

const DEFAULT_TIMING: WorkerTiming = { minBackoffMs: 500, maxBackoffMs: 60_000, idleMs: 5_000, confirmPollMs: 250 };
/** Syslog sends row by row; this many per round keeps the loop responsive. */
const SYSLOG_BATCH = 200;

export function startAuditSinks(engine: AuditOutEngine, options: SinkRunnerOptions = {}): AuditSinkRunner {
  const timing = { ...DEFAULT_TIMING, ...options.timing };
  const transportOptions = { ...DEFAULT_TRANSPORT_OPTIONS, now: engine.clock, ...options.transport };
  const workers = new Map<string, SinkWorker>();
  const readRows = (afterSeq: number, limit: number) => engine.ledger.rows.after(afterSeq, limit);
  let queue: Promise<void> = Promise.resolve();
  let stopped = false;

  const connect = (sink: SinkRecord) => openSinkTransport(sink, credentialFor(engine, sink), transportOptions);
  const wanted = (sink: SinkRecord) => sink.intact && sink.enabled && (!needsCredential(sink.kind) || !engine.locked);
  const reconcile = async (): Promise<void> => {
    const desired = new Map(stopped ? [] : engine.auditSinks.list().filter(wanted).map((s) => [s.id, s] as const));
    for (const [id, worker] of [...workers]) {
      const wantedSink = desired.get(id);
      if (wantedSink !== undefined && signature(wantedSink) === signature(worker.sink)) continue;
      workers.delete(id);
      await worker.stop();
    }
    for (const [id, sink] of desired) {
      if (workers.has(id)) continue;
      const worker = new SinkWorker(sink, { store: engine.auditSinks, readRows, archivedUpTo: () => readAnchor(engine.db)?.seq ?? 0, connect, batchSize: batchOf(sink), timing });
      workers.set(id, worker);
      worker.start();
    }
  };
  // A failed round (the database closing under us) must not become an unhandled rejection; the next change retries.
  const sync = (): Promise<void> => (queue = queue.then(reconcile).catch(() => undefined));

  const offSinks = engine.auditSinks.onChange(() => void sync());
  const offLock = engine.subscribe((e) => {
    if (e.type === 'lock.changed') void sync();
  });
  const offAppend = engine.ledger.onAppend(() => workers.forEach((w) => w.notify()));
  void sync();

  return {
    sync,
    stop: async () => {
      stopped = true;
      offSinks();
      offLock();
      offAppend();
      await sync();
    },
  };
}

/** A worker restarts when anything it was built from changed (not when only its cursor moved). */
function signature(sink: SinkRecord): string {
  const credential = sink.sealedCredential === null ? '' : Buffer.from(sink.sealedCredential).toString('base64');
  return `${sink.updatedAt}|${sink.name}|${JSON.stringify(sink.config)}|${credential}`;
}

function batchOf(sink: SinkRecord): number {
  return sink.config.kind === 'syslog' ? SYSLOG_BATCH : (sink.config.batchSize ?? DEFAULT_BATCH);
}

/** The credential's bytes, opened with the master key now; the transport wipes them on close. */
function credentialFor(engine: AuditOutEngine, sink: SinkRecord): Uint8Array | undefined {
  if (sink.sealedCredential === null) return undefined;
  return openSinkCredential(engine.currentKeys().master, sink.id, sink.sealedCredential);
}

/** For `valetkey audit sinks test`: one test message through a fresh transport. */
export async function testSinkOnce(engine: AuditOutEngine, sink: SinkRecord, options: Partial<TransportOptions> = {}): Promise<void> {
  const transport: SinkTransport = await openSinkTransport(sink, credentialFor(engine, sink), { ...DEFAULT_TRANSPORT_OPTIONS, now: engine.clock, ...options });
  try {
    await transport.sendTest();
  } finally {
    transport.close();
  }
}
