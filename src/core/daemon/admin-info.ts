/**
 * The admin connection file (0600 in the data directory): where the admin API listens and the
 * session secret that authenticates to it. The secret only lets a caller read and make things
 * safer; grants still need the admin passphrase.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { VkError } from '../../shared/errors.js';
import { writeFileAtomic } from '../fs/atomic-file.js';

export interface AdminInfo {
  readonly pid: number;
  readonly socketPath: string;
  readonly tcpPort: number;
  readonly sessionSecret: string;
}

export function newSessionSecret(): string {
  return randomBytes(32).toString('base64url');
}

export function writeAdminInfo(file: string, info: AdminInfo): void {
  writeFileAtomic(file, JSON.stringify(info, null, 2), { overwrite: true });
}

export function readAdminInfo(file: string): AdminInfo {
  let raw: string;
  try {
    raw = readFileSync(file, 'utf8');
  } catch {
    throw new VkError('engine_unreachable');
  }
  try {
    const info = JSON.parse(raw) as AdminInfo;
    if (typeof info.sessionSecret !== 'string' || typeof info.socketPath !== 'string') throw new Error('shape');
    return info;
  } catch {
    throw new VkError('engine_unreachable', 'admin.json is damaged; restart the daemon');
  }
}

export function removeAdminInfo(file: string): void {
  rmSync(file, { force: true });
}
