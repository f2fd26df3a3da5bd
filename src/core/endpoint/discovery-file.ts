/**
 * The discovery file (docs/security.md "Listener"): a 0600 JSON file in the data directory telling
 * SDKs and the CLI where the agent endpoint listens. Written atomically (temp file, fsync,
 * rename), removed when the endpoint closes. It holds no secret.
 */
import { readFileSync } from 'node:fs';
import { removeFileDurably, writeFileAtomic } from '../fs/atomic-file.js';

export interface Discovery {
  readonly issuer: string;
  readonly url: string;
  readonly socketPath: string;
  readonly pid: number;
  readonly version: string;
}

export function writeDiscoveryFile(file: string, discovery: Discovery): void {
  writeFileAtomic(file, `${JSON.stringify(discovery, null, 2)}\n`, { overwrite: true });
}

/** Removes the file only if it still describes this process (a newer engine may have replaced it). */
export function removeDiscoveryFile(file: string, pid: number): void {
  let current: unknown;
  try {
    current = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return; // gone, or not ours to judge
  }
  if (typeof current === 'object' && current !== null && (current as { pid?: unknown }).pid === pid) removeFileDurably(file);
}
