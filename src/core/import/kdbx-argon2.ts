/**
 * kdbxweb leaves Argon2 to its host. hash-wasm supplies Argon2d and Argon2id in pure WASM. The
 * parameters come from the file, so they are bounded first: a planted KDBX must not make the
 * engine allocate gigabytes or spin for hours.
 */
import { argon2d, argon2id } from 'hash-wasm';
import kdbxweb from 'kdbxweb';
import { VkError } from '../../shared/errors.js';
import { MAX_ARGON2_ITERATIONS, MAX_ARGON2_MEMORY_BYTES, MAX_ARGON2_PARALLELISM } from './kdbx-cost.js';

const ARGON2_VERSION_13 = 0x13;

let installed = false;

async function deriveArgon2(
  password: ArrayBuffer,
  salt: ArrayBuffer,
  memoryKib: number,
  iterations: number,
  length: number,
  parallelism: number,
  type: number,
  version: number,
): Promise<ArrayBuffer> {
  // Checked from the header before loading (kdbx-cost.ts); again here, where the work happens.
  if (memoryKib * 1024 > MAX_ARGON2_MEMORY_BYTES || iterations > MAX_ARGON2_ITERATIONS || parallelism > MAX_ARGON2_PARALLELISM) {
    throw new VkError('import_invalid', 'the KDBX key-derivation settings ask for more memory or time than Valetkey will spend');
  }
  if (version !== ARGON2_VERSION_13) throw new VkError('invalid_request', 'the KDBX file uses an old Argon2 version that Valetkey does not support');
  const hash = type === kdbxweb.CryptoEngine.Argon2TypeArgon2id ? argon2id : argon2d;
  const out = await hash({
    password: new Uint8Array(password),
    salt: new Uint8Array(salt),
    memorySize: memoryKib,
    iterations,
    parallelism,
    hashLength: length,
    outputType: 'binary',
  });
  const key = out.slice().buffer;
  out.fill(0);
  return key;
}

/** Installs the Argon2 implementation once per process. */
export function installKdbxArgon2(): void {
  if (installed) return;
  kdbxweb.CryptoEngine.setArgon2Impl(deriveArgon2);
  installed = true;
}
