/**
 * Parsing an import file runs in a worker thread with a heap limit and a wall-time limit: a file
 * built to exhaust memory or to spin (deep JSON, a slow KDBX under the KDF caps) ends its own
 * worker with import_invalid, and the engine's event loop never waits on it. Only the parsed
 * items, as plain data, come back; the engine writes them in its own transaction.
 */
import { existsSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { isErrorCode, VkError } from '../../shared/errors.js';
import type { ImportFormat } from '../../shared/model.js';
import type { ImportSource, ParsedImport } from './import-item.js';
import type { ImportAnswer, ImportJob } from './import-worker-protocol.js';

export interface ImportLimits {
  /** The worker's V8 old-generation heap. Argon2's WASM memory is outside it: kdbx-cost.ts caps that. */
  readonly maxHeapMb: number;
  readonly timeLimitMs: number;
}

/**
 * The heap limit must hold the worst JSON.parse allowed, since native code cannot be stopped
 * gracefully: a 256 MiB file decoded as UTF-16 (512 MiB), its strings again (512 MiB) and
 * MAX_JSON_VALUES objects (json-text.ts). The JavaScript parsers (CSV, XML, zip) stop at it cleanly.
 */
export const IMPORT_LIMITS: ImportLimits = { maxHeapMb: 2048, timeLimitMs: 120_000 };

/** From source a .mjs shim registers tsx; the CLI and Electron builds emit the worker beside their entry points. */
function workerFile(): URL {
  if (import.meta.url.endsWith('.ts')) return new URL('./import-worker-entry.mjs', import.meta.url);
  for (const name of ['import-worker.mjs', 'import-worker.js']) {
    for (const dir of ['./', '../']) {
      const url = new URL(dir + name, import.meta.url);
      if (existsSync(url)) return url;
    }
  }
  throw new VkError('internal_error', 'the import worker is missing from this build');
}

function answerError(answer: ImportAnswer, file: string): VkError | undefined {
  if (answer.ok) return undefined;
  return isErrorCode(answer.code) ? new VkError(answer.code, answer.detail) : new VkError('import_invalid', `${file}: the file cannot be read`);
}

export function parseInWorker(source: ImportSource, requested: ImportFormat | undefined, limits: ImportLimits = IMPORT_LIMITS): Promise<ParsedImport> {
  const file = source.name;
  // workerData is a copy: the caller wipes its own bytes, the worker wipes this one.
  const job: ImportJob = { name: file, bytes: source.bytes, ...(source.kdbxPassword !== undefined ? { kdbxPassword: source.kdbxPassword } : {}), ...(requested !== undefined ? { requested } : {}) };
  const worker = new Worker(workerFile(), { workerData: job, resourceLimits: { maxOldGenerationSizeMb: limits.maxHeapMb, stackSizeMb: 4 } });
  return new Promise((resolve, reject) => {
    let settled = false;
    const settle = (error: VkError | undefined, parsed?: ParsedImport) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void worker.terminate();
      if (error !== undefined || parsed === undefined) reject(error ?? new VkError('import_invalid', `${file}: the file cannot be read`));
      else resolve(parsed);
    };
    const timer = setTimeout(() => {
      settle(new VkError('import_invalid', `${file}: it took too long to open (over ${Math.round(limits.timeLimitMs / 1000)} s); re-export it with ordinary settings or split it`));
    }, limits.timeLimitMs);
    worker.once('message', (answer: ImportAnswer) => settle(answerError(answer, file), answer.ok ? answer.parsed : undefined));
    worker.once('error', (e: Error & { code?: unknown }) => {
      const tooBig = e.code === 'ERR_WORKER_OUT_OF_MEMORY';
      settle(new VkError('import_invalid', tooBig ? `${file}: it needed too much memory to open (over ${limits.maxHeapMb} MiB); re-export it or split it` : `${file}: the file cannot be read`));
    });
    worker.once('exit', () => settle(new VkError('import_invalid', `${file}: the file cannot be read`)));
  });
}
