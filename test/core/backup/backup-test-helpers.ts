/** Shared by the backup tests: the quick Argon2id limits, and the plaintext header of a `.valetkey` file. */
import sodium from 'libsodium-wrappers-sumo';
import { BACKUP_MAGIC } from '../../../src/core/backup/backup-stream.js';
import type { KdfLimits } from '../../../src/core/keys/passphrase-seal.js';

/** INTERACTIVE: for tests about what a backup holds, not about its KDF (load libsodium first). */
export const FAST = (): KdfLimits => ({ opslimit: sodium.crypto_pwhash_OPSLIMIT_INTERACTIVE, memlimit: sodium.crypto_pwhash_MEMLIMIT_INTERACTIVE });

export function backupHeader(file: Uint8Array): Record<string, unknown> {
  const length = new DataView(file.buffer, file.byteOffset + BACKUP_MAGIC.length, 4).getUint32(0);
  const start = BACKUP_MAGIC.length + 4;
  return JSON.parse(new TextDecoder().decode(file.subarray(start, start + length))) as Record<string, unknown>;
}
