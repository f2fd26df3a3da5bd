/**
 * The `.valetkey` file: a small plaintext header, then the contents sealed with libsodium's
 * crypto_secretstream_xchacha20poly1305 under a key Argon2id derives from the passphrase.
 *
 *   "VALETKEY-BACKUP\n" | u32 header length | header JSON | secretstream header (24 bytes)
 *   | (u32 chunk length | chunk)*           — the last chunk, and only it, tagged TAG_FINAL
 *
 * The header (format, version, KDF parameters with salt, time) is the associated data of every
 * chunk, so editing it breaks the first chunk. Secretstream authenticates order and the final
 * tag, so a file cut anywhere, a dropped, repeated or reordered chunk, or bytes added after the
 * end are all refused.
 */
import { sodium } from '../crypto/sodium.js';
import { wipe } from '../crypto/types.js';
import { derivePassphraseKey, newKdfParams, type KdfLimits, type KdfParams } from '../keys/passphrase-seal.js';

export const BACKUP_MAGIC = 'VALETKEY-BACKUP\n';
export const BACKUP_FORMAT = 'valetkey-backup';
export const BACKUP_VERSION = 1;
/** Plaintext bytes per chunk. */
export const CHUNK_BYTES = 64 * 1024;

export interface BackupHeader {
  readonly format: typeof BACKUP_FORMAT;
  readonly version: typeof BACKUP_VERSION;
  readonly kdf: KdfParams;
  readonly createdAt: string;
}

const encoder = new TextEncoder();


function u32(n: number): Uint8Array {
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, n);
  return out;
}

export function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Seals `plaintext` (the caller wipes it) into a complete backup file. */
export function sealBackup(plaintext: Uint8Array, passphrase: string, limits: KdfLimits, createdAt: Date): Uint8Array {
  const s = sodium();
  const header: BackupHeader = { format: BACKUP_FORMAT, version: BACKUP_VERSION, kdf: newKdfParams(limits), createdAt: createdAt.toISOString() };
  const headerJson = encoder.encode(JSON.stringify(header));
  const prefix = concat([encoder.encode(BACKUP_MAGIC), u32(headerJson.length), headerJson]);
  const key = derivePassphraseKey(passphrase, header.kdf);
  try {
    const { state, header: streamHeader } = s.crypto_secretstream_xchacha20poly1305_init_push(key);
    const parts: Uint8Array[] = [prefix, streamHeader];
    for (let at = 0; ; at += CHUNK_BYTES) {
      const last = at + CHUNK_BYTES >= plaintext.length;
      const tag = last ? s.crypto_secretstream_xchacha20poly1305_TAG_FINAL : s.crypto_secretstream_xchacha20poly1305_TAG_MESSAGE;
      const chunk = s.crypto_secretstream_xchacha20poly1305_push(state, plaintext.subarray(at, at + CHUNK_BYTES), prefix, tag);
      parts.push(u32(chunk.length), chunk);
      if (last) break;
    }
    return concat(parts);
  } finally {
    wipe(key);
  }
}
