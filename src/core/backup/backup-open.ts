/**
 * Opening a `.valetkey` file (layout in backup-stream.ts). Every failure is `invalid_backup` and
 * nothing is returned unless the whole stream verified up to its TAG_FINAL chunk and no byte
 * follows it. A wrong passphrase and an altered chunk look the same here, by design.
 */
import { VkError } from '../../shared/errors.js';
import { sodium } from '../crypto/sodium.js';
import { wipe } from '../crypto/types.js';
import { parseKdfParams, type KdfParams } from '../keys/passphrase-seal.js';
import { BACKUP_FORMAT, BACKUP_MAGIC, BACKUP_VERSION, CHUNK_BYTES, concat } from './backup-stream.js';
import { derivePassphraseKey } from '../keys/passphrase-seal.js';

const MAX_HEADER_BYTES = 4096;

function refuse(file: string, what: string): VkError {
  return new VkError('invalid_backup', `${file}: ${what}`);
}

class Reader {
  at = 0;
  constructor(readonly bytes: Uint8Array) {}

  left(): number {
    return this.bytes.length - this.at;
  }

  take(n: number): Uint8Array | undefined {
    if (this.left() < n) return undefined;
    this.at += n;
    return this.bytes.subarray(this.at - n, this.at);
  }

  u32(): number | undefined {
    const b = this.take(4);
    return b && new DataView(b.buffer, b.byteOffset, 4).getUint32(0);
  }
}

function readHeader(reader: Reader, file: string): { readonly kdf: KdfParams; readonly prefix: Uint8Array } {
  const magic = reader.take(BACKUP_MAGIC.length);
  if (!magic || new TextDecoder().decode(magic) !== BACKUP_MAGIC) throw refuse(file, 'this is not a Valetkey backup');
  const length = reader.u32();
  if (length === undefined || length > MAX_HEADER_BYTES) throw refuse(file, 'the header is damaged');
  const json = reader.take(length);
  if (!json) throw refuse(file, 'the backup is truncated (it ends inside its header)');
  let header: Record<string, unknown>;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(json)) as Record<string, unknown>;
  } catch {
    throw refuse(file, 'the header is damaged');
  }
  if (header['format'] !== BACKUP_FORMAT) throw refuse(file, 'this is not a Valetkey backup');
  if (header['version'] !== BACKUP_VERSION) throw refuse(file, 'the backup was made by a newer Valetkey');
  const kdf = parseKdfParams(header['kdf']);
  if (kdf === undefined) throw refuse(file, 'the header’s key-derivation parameters are damaged or out of range');
  return { kdf, prefix: reader.bytes.subarray(0, reader.at) };
}

type PullState = ReturnType<ReturnType<typeof sodium>['crypto_secretstream_xchacha20poly1305_init_pull']>;

/** Pulls every chunk into `plain` (so the caller can wipe even a partial result). */
function pullChunks(reader: Reader, state: PullState, prefix: Uint8Array, file: string, plain: Uint8Array[]): void {
  const s = sodium();
  const maxChunk = CHUNK_BYTES + s.crypto_secretstream_xchacha20poly1305_ABYTES;
  for (let index = 1; ; index++) {
    const length = reader.u32();
    const chunk = length !== undefined && length <= maxChunk ? reader.take(length) : undefined;
    if (length === undefined || (length <= maxChunk && chunk === undefined)) throw refuse(file, 'the backup is truncated (it ends before its final chunk)');
    if (chunk === undefined) throw refuse(file, `chunk ${index} is damaged`);
    let result: { message: Uint8Array; tag: number } | false;
    try {
      result = s.crypto_secretstream_xchacha20poly1305_pull(state, chunk, prefix);
    } catch {
      result = false;
    }
    if (!result) throw refuse(file, `chunk ${index} does not verify: wrong passphrase, or the file was altered`);
    plain.push(result.message);
    if (result.tag === s.crypto_secretstream_xchacha20poly1305_TAG_FINAL) break;
  }
  if (reader.left() > 0) throw refuse(file, 'there are bytes after the end of the backup (altered?)');
}

/** The backup's plaintext (the caller wipes it). */
export function openBackup(bytes: Uint8Array, passphrase: string, file: string): Uint8Array {
  const s = sodium();
  const reader = new Reader(bytes);
  const { kdf, prefix } = readHeader(reader, file);
  const streamHeader = reader.take(s.crypto_secretstream_xchacha20poly1305_HEADERBYTES);
  if (!streamHeader) throw refuse(file, 'the backup is truncated (it ends before its first chunk)');
  const key = derivePassphraseKey(passphrase, kdf);
  const chunks: Uint8Array[] = [];
  try {
    const state = s.crypto_secretstream_xchacha20poly1305_init_pull(streamHeader, key);
    pullChunks(reader, state, prefix, file, chunks);
    return concat(chunks);
  } finally {
    wipe(key);
    for (const c of chunks) wipe(c);
  }
}
