/**
 * Files staged for an import by drag and drop. A browser cannot name a path on the engine's
 * machine (and must not be able to), so the dashboard streams the file here first: a 0600 file
 * with a random name in `<dataDir>/uploads` (0700), known to callers only by a 256-bit upload id.
 * An upload lives 15 minutes; a successful import deletes it at once. At most 8 are held: a new
 * one beyond that pushes the oldest out, so nobody can fill the disk through this door.
 */
import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, lstatSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { VkError } from '../../shared/errors.js';
import { UPLOAD_LIMITS, type StagedUpload } from '../../shared/model.js';
import type { ImportSource } from './import-item.js';
import { uploadName } from './upload-name.js';

export const MAX_PENDING_UPLOADS = 8;
const SUFFIX = '.upload';

interface Held {
  readonly file: string;
  readonly name: string;
  readonly expiresAt: number;
  readonly timer: NodeJS.Timeout;
}

export class UploadStore {
  /** digest of the upload id → the file; Map order is staging order, oldest first. */
  private readonly held = new Map<string, Held>();

  constructor(
    readonly dir: string,
    private readonly clock: () => number = Date.now,
  ) {
    removeLeftovers(dir, clock());
  }

  /** Streams `body` into a new staged file; upload_too_large (and nothing kept) past 64 MiB. */
  async stage(rawName: string, body: AsyncIterable<Uint8Array> | Iterable<Uint8Array>): Promise<StagedUpload> {
    const name = uploadName(rawName);
    this.sweep();
    prepareDir(this.dir);
    const file = join(this.dir, randomBytes(16).toString('hex') + SUFFIX);
    const bytes = await writeLimited(file, body);
    const uploadId = randomBytes(32).toString('base64url');
    const expiresAt = this.clock() + UPLOAD_LIMITS.ttlMs;
    // The timer deletes the file even if nobody asks again; unref'd so it never keeps a process alive.
    const timer = setTimeout(() => this.forget(digest(uploadId)), UPLOAD_LIMITS.ttlMs).unref();
    this.held.set(digest(uploadId), { file, name, expiresAt, timer });
    this.evictBeyondLimit();
    return { uploadId, name, bytes, expiresAt: new Date(expiresAt).toISOString() };
  }

  stageBytes(rawName: string, bytes: Uint8Array): Promise<StagedUpload> {
    if (bytes.byteLength > UPLOAD_LIMITS.maxBytes) return Promise.reject(new VkError('upload_too_large'));
    return this.stage(rawName, [bytes]);
  }

  /** The staged file's bytes (plaintext secrets: the caller wipes them) under its display name. */
  source(uploadId: string, kdbxPassword?: string): ImportSource {
    const key = digest(uploadId);
    const held = this.live(key);
    let bytes: Uint8Array;
    try {
      bytes = readFileSync(held.file);
    } catch {
      this.forget(key);
      throw new VkError('upload_not_found');
    }
    return { name: held.name, bytes, ...(kdbxPassword !== undefined ? { kdbxPassword } : {}) };
  }

  /** Deletes the upload now (after a successful import). True if it was held. */
  discard(uploadId: string): boolean {
    return this.forget(digest(uploadId));
  }

  get size(): number {
    this.sweep();
    return this.held.size;
  }

  /** The engine closes: every staged file goes. */
  close(): void {
    for (const key of [...this.held.keys()]) this.forget(key);
  }

  private live(key: string): Held {
    const held = this.held.get(key);
    if (held === undefined) throw new VkError('upload_not_found');
    if (held.expiresAt <= this.clock()) {
      this.forget(key);
      throw new VkError('upload_not_found');
    }
    return held;
  }

  private forget(key: string): boolean {
    const held = this.held.get(key);
    if (held === undefined) return false;
    this.held.delete(key);
    clearTimeout(held.timer);
    rmSync(held.file, { force: true });
    return true;
  }

  private sweep(): void {
    const now = this.clock();
    for (const [key, held] of [...this.held]) if (held.expiresAt <= now) this.forget(key);
  }

  private evictBeyondLimit(): void {
    for (const key of [...this.held.keys()]) {
      if (this.held.size <= MAX_PENDING_UPLOADS) return;
      this.forget(key);
    }
  }
}

/** Lookups are by digest, so the time a Map lookup takes says nothing about the id itself. */
function digest(uploadId: string): string {
  return createHash('sha256').update(uploadId, 'utf8').digest('hex');
}

async function writeLimited(file: string, body: AsyncIterable<Uint8Array> | Iterable<Uint8Array>): Promise<number> {
  // 'wx': never write through a file (or link) that is already there.
  const handle = await open(file, 'wx', 0o600);
  let size = 0;
  try {
    for await (const chunk of body) {
      size += chunk.byteLength;
      if (size > UPLOAD_LIMITS.maxBytes) throw new VkError('upload_too_large');
      await handle.write(chunk);
    }
  } catch (e) {
    await handle.close();
    rmSync(file, { force: true });
    throw e;
  }
  await handle.close();
  return size;
}

/** `<dataDir>/uploads`: created 0700; refused if it is a link, not a directory, or not ours. */
function prepareDir(dir: string): void {
  try {
    mkdirSync(dir, { mode: 0o700 });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  }
  const st = lstatSync(dir);
  const uid = process.getuid?.();
  if (st.isSymbolicLink() || !st.isDirectory() || (uid !== undefined && st.uid !== uid)) {
    // Nothing is written where another user or a link could read it.
    throw new VkError('internal_error', 'the uploads directory in the data directory is not a directory of this user');
  }
  // Ours and inside our own 0700 data directory: tighten it rather than refuse.
  if ((st.mode & 0o077) !== 0) chmodSync(dir, 0o700);
}

/**
 * Files left by an engine that stopped without closing. Only those past their lifetime go: another
 * process opened on the same data directory (the CLI's own engine) may hold fresh ones.
 */
function removeLeftovers(dir: string, now: number): void {
  let names: string[];
  try {
    if (!lstatSync(dir).isDirectory()) return;
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    if (!name.endsWith(SUFFIX)) continue;
    const file = join(dir, name);
    try {
      if (now - lstatSync(file).mtimeMs >= UPLOAD_LIMITS.ttlMs) rmSync(file, { force: true });
    } catch {
      // Gone already, or not ours to judge: leave it.
    }
  }
}
