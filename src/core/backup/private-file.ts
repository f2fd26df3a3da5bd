/**
 * Files the engine writes for a person (backups, plaintext exports): 0600 from the first byte,
 * written whole or not at all, and an existing file is replaced only when asked.
 */
import { existsSync } from 'node:fs';
import { basename, dirname, isAbsolute } from 'node:path';
import { VkError } from '../../shared/errors.js';
import { writeFileAtomic } from '../fs/atomic-file.js';

export function writePrivateFile(path: string, data: Uint8Array | string, force: boolean): void {
  if (!isAbsolute(path)) throw new VkError('invalid_request', '`path` must be an absolute path on this machine');
  const name = basename(path);
  if (!existsSync(dirname(path))) throw new VkError('not_found', `${name}: its folder does not exist`);
  try {
    writeFileAtomic(path, data, { overwrite: force });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') throw new VkError('conflict', `${name} already exists; choose another file or replace it with force`);
    throw new VkError('invalid_request', `${name}: cannot be written there (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
  }
}
