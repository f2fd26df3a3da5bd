/**
 * The import worker's body: it parses one file (and derives a KDBX key) on its own thread, under
 * the heap limit and wall time the engine set (import-runner.ts), and posts back the items as
 * plain data. A hostile file costs this thread; the engine's event loop keeps answering.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { isVkError } from '../../shared/errors.js';
import { IMPORT_FORMATS } from '../../shared/model.js';
import type { ImportAnswer, ImportJob } from './import-worker-protocol.js';
import { parseImport } from './parse-import.js';

function jobOf(data: unknown): ImportJob {
  const d = (typeof data === 'object' && data !== null ? data : {}) as Partial<ImportJob>;
  if (typeof d.name !== 'string' || !(d.bytes instanceof Uint8Array)) throw new Error('the import worker was started without a file');
  const requested = IMPORT_FORMATS.find((f) => f === d.requested);
  return { name: d.name, bytes: d.bytes, ...(typeof d.kdbxPassword === 'string' ? { kdbxPassword: d.kdbxPassword } : {}), ...(requested !== undefined ? { requested } : {}) };
}

async function answer(job: ImportJob): Promise<ImportAnswer> {
  try {
    const source = { name: job.name, bytes: job.bytes, ...(job.kdbxPassword !== undefined ? { kdbxPassword: job.kdbxPassword } : {}) };
    return { ok: true, parsed: await parseImport(source, job.requested) };
  } catch (e) {
    // A parser's own error carries no content of the file; anything else is reported without its message.
    if (isVkError(e)) return { ok: false, code: e.code, ...(e.detail !== undefined ? { detail: e.detail } : {}) };
    return { ok: false, code: 'import_invalid', detail: `${job.name}: the file cannot be read` };
  } finally {
    job.bytes.fill(0);
  }
}

const job = jobOf(workerData);
parentPort?.postMessage(await answer(job));
