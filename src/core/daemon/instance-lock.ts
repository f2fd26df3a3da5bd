/**
 * One engine per data directory. The lock file holds the owner's pid; a lock whose process is
 * gone is stale and is taken over. Created with O_EXCL so two starting engines cannot both win.
 */
import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { VkError } from '../../shared/errors.js';

export interface InstanceLock {
  release(): void;
}

export function acquireInstanceLock(file: string): InstanceLock {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx', 0o600);
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return { release: () => releaseIfOurs(file) };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const owner = readOwner(file);
      if (owner !== undefined && owner !== process.pid && isAlive(owner)) throw new VkError('already_running', `pid ${owner}`);
      rmSync(file, { force: true });
    }
  }
  throw new VkError('already_running');
}

function readOwner(file: string): number | undefined {
  try {
    const pid = Number.parseInt(readFileSync(file, 'utf8').trim(), 10);
    return Number.isSafeInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function releaseIfOurs(file: string): void {
  if (readOwner(file) === process.pid) rmSync(file, { force: true });
}
