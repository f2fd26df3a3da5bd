/**
 * The engine reads the export file itself, from a path the caller names: the CLI runs as the same
 * user on the same machine, and files can be far larger than the admin transport's 64 KiB bodies.
 * The dashboard's drag and drop stages files instead (upload-store.ts): a browser names a file only
 * by its upload id, never by a path.
 */
import { readFileSync, statSync } from 'node:fs';
import { basename, isAbsolute } from 'node:path';
import { VkError } from '../../shared/errors.js';
import type { ImportSource } from './import-item.js';

export const MAX_IMPORT_BYTES = 256 * 1024 * 1024;

/** Checks the path is absolute and names a regular file of at most 256 MiB. */
export function checkedFile(path: string): { readonly name: string; readonly size: number } {
  if (!isAbsolute(path)) throw new VkError('invalid_request', '`path` must be an absolute path on this machine');
  const name = basename(path);
  let stats;
  try {
    stats = statSync(path);
  } catch {
    throw new VkError('not_found', `${name}: no such file, or it cannot be read`);
  }
  if (!stats.isFile()) throw new VkError('invalid_request', `${name}: not a regular file`);
  if (stats.size > MAX_IMPORT_BYTES) throw new VkError('invalid_request', `${name}: larger than 256 MiB`);
  return { name, size: stats.size };
}

/** The file's bytes: plaintext secrets, so the caller wipes them once parsed. */
export function readImportFile(path: string, kdbxPassword?: string): ImportSource {
  const { name } = checkedFile(path);
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch {
    throw new VkError('not_found', `${name}: the file cannot be read`);
  }
  return { name, bytes, ...(kdbxPassword !== undefined ? { kdbxPassword } : {}) };
}
