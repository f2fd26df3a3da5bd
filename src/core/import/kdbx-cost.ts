/**
 * A KDBX file names its own key-derivation cost (AES-KDF rounds, Argon2 memory and passes), and
 * that work runs before the password can even be checked. The header is read and every parameter
 * capped before any of it is done: a planted file must not stall or exhaust the engine.
 */
import kdbxweb from 'kdbxweb';
import { VkError } from '../../shared/errors.js';

/** About ten seconds of AES-KDF on a slow machine; KeePass's own defaults are far below. */
export const MAX_AES_ROUNDS = 20_000_000;
export const MAX_ARGON2_MEMORY_BYTES = 1024 * 1024 * 1024;
export const MAX_ARGON2_ITERATIONS = 100;
export const MAX_ARGON2_PARALLELISM = 64;
/** Memory × passes: 1 GiB four times, or 64 MiB sixty-four times. */
const MAX_ARGON2_WORK = 4 * MAX_ARGON2_MEMORY_BYTES;

const TOO_COSTLY = 'the KDBX key-derivation settings ask for more memory or time than Valetkey will spend';

/** Throws import_invalid when the file's KDF parameters exceed the caps; a file whose header cannot be read is left to the loader. */
export function checkKdbxCost(data: ArrayBuffer, file: string): void {
  let header: kdbxweb.KdbxHeader;
  try {
    header = kdbxweb.KdbxHeader.read(new kdbxweb.BinaryStream(data), new kdbxweb.KdbxContext({ kdbx: new kdbxweb.Kdbx() }));
  } catch {
    return;
  }
  if (header.versionMajor < 4) return checkAes(header.keyEncryptionRounds ?? 0, file);
  const p = header.kdfParameters;
  if (p === undefined) return;
  const uuid = p.get('$UUID');
  const id = uuid instanceof ArrayBuffer ? kdbxweb.ByteUtils.bytesToBase64(uuid) : '';
  if (id === kdbxweb.Consts.KdfId.Aes) return checkAes(numberOf(p.get('R')), file);
  const memory = numberOf(p.get('M'));
  const iterations = numberOf(p.get('I'));
  const parallelism = numberOf(p.get('P'));
  if (memory > MAX_ARGON2_MEMORY_BYTES || iterations > MAX_ARGON2_ITERATIONS || parallelism > MAX_ARGON2_PARALLELISM || memory * iterations > MAX_ARGON2_WORK) {
    throw refused(file);
  }
}

function checkAes(rounds: number, file: string): void {
  if (rounds > MAX_AES_ROUNDS) throw refused(file);
}

/** VarDictionary numbers come as number or Int64; anything else counts as absurd. */
function numberOf(value: unknown): number {
  if (typeof value === 'number') return value;
  if (value instanceof kdbxweb.Int64) return value.value;
  return Number.POSITIVE_INFINITY;
}

function refused(file: string): VkError {
  return new VkError('import_invalid', `${file}: ${TOO_COSTLY} (over ${MAX_AES_ROUNDS.toLocaleString('en')} AES rounds, or Argon2 over 1 GiB, ${MAX_ARGON2_ITERATIONS} passes or 4 GiB × passes)`);
}
