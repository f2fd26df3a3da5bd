/**
 * The admin passphrase: proof that a person is there for a grant from the CLI or the browser
 * dashboard (docs/security.md, "Granting is for people"). Only its Argon2id verifier is stored.
 */
import { ARGON2ID_LIMITS, argon2idHashString, argon2idVerifyString } from '../crypto/argon2id.js';
import { checkPassphraseStrength } from './passphrase-strength.js';

export { checkPassphraseStrength } from './passphrase-strength.js';

/** libsodium's encoded-hash prefix for Argon2id; we refuse verifiers of any other algorithm. */
const ARGON2ID_PREFIX = '$argon2id$';

/**
 * An encoded Argon2id verifier (`$argon2id$v=19$m=…,t=…,p=…$salt$hash`), salt and limits inside.
 * INTERACTIVE limits, not MODERATE: this is an online login check run on every grant, so it must
 * answer in a fraction of a second; guessing is slowed by that cost plus the engine's rate limit,
 * and the verifier never leaves the data directory. Throws passphrase_too_short under 10 characters.
 */
export function hashAdminPassphrase(passphrase: string): string {
  checkPassphraseStrength(passphrase);
  return argon2idHashString(passphrase.normalize('NFC'), ARGON2ID_LIMITS.OPSLIMIT_INTERACTIVE, ARGON2ID_LIMITS.MEMLIMIT_INTERACTIVE);
}

/** True only for the right passphrase; false for a wrong one and for any malformed or foreign hash. */
export function verifyAdminPassphrase(hash: string, candidate: string): boolean {
  if (typeof hash !== 'string' || typeof candidate !== 'string' || !hash.startsWith(ARGON2ID_PREFIX)) return false;
  try {
    return argon2idVerifyString(hash, candidate.normalize('NFC'));
  } catch {
    return false;
  }
}
