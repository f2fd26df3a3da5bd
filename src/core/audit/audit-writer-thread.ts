/**
 * Audit commits on a worker thread. better-sqlite3 is synchronous, so with the writer on the main
 * thread every fsync stalls the event loop, and requests that arrive meanwhile wait for it. Here
 * the main thread keeps verifying proofs and decrypting while one batch is being made durable on
 * its own connection; everything that arrives meanwhile becomes the next batch (group commit).
 * The worker's code is inline (eval) so it loads the same way from source, the CLI bundle and
 * Electron's utility process; better-sqlite3 is handed to it by absolute path.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { CheckpointRow } from './audit-checkpoints.js';
import { INSERT_CHECKPOINT_SQL } from './audit-checkpoints.js';
import { INSERT_AUDIT_SQL } from './audit-row-codec.js';

export interface BatchWriter {
  /** Resolves once the rows and checkpoints are committed (fsync); rejects with an error carrying the SQLite code. */
  write(inserts: readonly (readonly unknown[])[], checkpoints: readonly CheckpointRow[]): Promise<void>;
  close(): Promise<void>;
}

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file);
db.pragma('journal_mode = WAL');
db.pragma('synchronous = FULL');
db.pragma('busy_timeout = 5000');
const insertRow = db.prepare(workerData.insertRowSql);
const insertCheckpoint = db.prepare(workerData.insertCheckpointSql);
const bind = (v) => (v instanceof Uint8Array ? Buffer.from(v.buffer, v.byteOffset, v.byteLength) : v);
const unhex = (v) => (v !== null && typeof v === 'object' ? Buffer.from(v.hex, 'hex') : v);
const commit = db.transaction((insertsJson, checkpoints) => {
  for (const values of JSON.parse(insertsJson)) insertRow.run(...values.map(unhex));
  for (const c of checkpoints) insertCheckpoint.run(c.seq, bind(c.hash), c.ts, c.keyId, bind(c.signature));
});
parentPort.on('message', (m) => {
  if (m.close) { db.close(); parentPort.postMessage({ closed: true }); return; }
  try {
    commit(m.insertsJson, m.checkpoints);
    parentPort.postMessage({ id: m.id, ok: true });
  } catch (e) {
    parentPort.postMessage({ id: m.id, ok: false, code: typeof e.code === 'string' ? e.code : 'SQLITE_ERROR' });
  }
});
`;

/**
 * The rows go over as one JSON string (blobs as hex): a structured clone of each row's array cost
 * the event loop about twice as much per row. Checkpoints are rare and go as they are.
 */
function encodeInserts(inserts: readonly (readonly unknown[])[]): string {
  return JSON.stringify(inserts.map((values) => values.map((v) => (v instanceof Uint8Array ? { hex: Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('hex') } : v))));
}

export function startAuditWriterThread(databaseFile: string): BatchWriter {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: { file: databaseFile, driver, insertRowSql: INSERT_AUDIT_SQL, insertCheckpointSql: INSERT_CHECKPOINT_SQL },
    // It only unpacks messages and binds them: a small young generation, not V8's default that grows to tens of MiB under load.
    resourceLimits: { maxYoungGenerationSizeMb: 4 },
  });
  worker.unref();
  let next = 1;
  const waiting = new Map<number, { resolve: () => void; reject: (e: Error) => void }>();
  let failed: Error | undefined;
  worker.on('message', (m: { id?: number; ok?: boolean; code?: string }) => {
    if (m.id === undefined) return;
    const w = waiting.get(m.id);
    waiting.delete(m.id);
    if (m.ok) w?.resolve();
    else w?.reject(Object.assign(new Error('audit write failed'), { code: m.code }));
  });
  worker.on('error', (e) => {
    failed = e;
    for (const w of waiting.values()) w.reject(Object.assign(new Error('audit writer stopped'), { code: 'SQLITE_IOERR' }));
    waiting.clear();
  });
  return {
    write(inserts, checkpoints) {
      if (failed) return Promise.reject(Object.assign(new Error('audit writer stopped'), { code: 'SQLITE_IOERR' }));
      const id = next++;
      return new Promise((resolve, reject) => {
        waiting.set(id, { resolve, reject });
        worker.postMessage({ id, insertsJson: encodeInserts(inserts), checkpoints });
      });
    },
    close: () =>
      new Promise((resolve) => {
        if (failed) return resolve();
        worker.once('exit', () => resolve());
        worker.once('message', (m: { closed?: boolean }) => {
          if (m.closed) void worker.terminate();
        });
        worker.postMessage({ close: true });
      }),
  };
}
