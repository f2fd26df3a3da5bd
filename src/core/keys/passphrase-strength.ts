/**
 * Rules shared by every passphrase Valetkey asks for: the admin passphrase, the key file's and
 * the recovery kit's.
 */
import { VkError } from '../../shared/errors.js';

export const MIN_PASSPHRASE_LENGTH = 10;

/** Throws `passphrase_too_short` under 10 characters (counted as code points, so emoji count once). */
export function checkPassphraseStrength(passphrase: string): void {
  if ([...passphrase].length < MIN_PASSPHRASE_LENGTH) throw new VkError('passphrase_too_short');
}

/**
 * The passphrase as UTF-8 bytes, NFC-normalised so the same words typed on another keyboard or
 * OS (composed vs decomposed accents) still open the file. Wipe the result after use.
 */
export function passphraseBytes(passphrase: string): Uint8Array {
  return new TextEncoder().encode(passphrase.normalize('NFC'));
}
