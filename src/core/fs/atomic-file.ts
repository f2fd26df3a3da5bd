/**
 * Crash-safe writes for small secret files: the content goes to a temp file in the same
 * directory (0600 from the start), is fsynced, then renamed (or hard-linked, to refuse an
 * existing file) into place, and the directory is fsynced so the new name survives a power cut.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export interface AtomicWriteOptions {
  /** false: fail with EEXIST rather than replace a file already at `file`. */
  readonly overwrite: boolean;
}

export function writeFileAtomic(file: string, data: string | Uint8Array, options: AtomicWriteOptions): void {
  const dir = path.dirname(file);
  const temp = path.join(dir, `.${path.basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    writeAndSync(temp, data);
    if (options.overwrite) {
      fs.renameSync(temp, file);
    } else {
      // link() fails with EEXIST instead of replacing, so two creators cannot both win.
      fs.linkSync(temp, file);
      fs.unlinkSync(temp);
    }
    fsyncDirectory(dir);
  } catch (e) {
    fs.rmSync(temp, { force: true });
    throw e;
  }
}

/** Remove `file` if present and make the removal durable. */
export function removeFileDurably(file: string): void {
  fs.rmSync(file, { force: true });
  fsyncDirectory(path.dirname(file));
}

function writeAndSync(temp: string, data: string | Uint8Array): void {
  const fd = fs.openSync(temp, 'wx', 0o600);
  try {
    fs.fchmodSync(fd, 0o600); // the umask can only narrow the mode, but say it outright
    fs.writeFileSync(fd, data);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** Makes a rename or removal in `dir` durable (for files streamed to a temp name and renamed). */
export function fsyncDirectory(dir: string): void {
  const fd = fs.openSync(dir, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}
