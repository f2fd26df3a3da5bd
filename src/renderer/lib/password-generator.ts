/**
 * Random passwords for new logins, from the platform's CSPRNG. Rejection sampling keeps every
 * character equally likely (a plain modulo would favour the first few).
 */
export const PASSWORD_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789-_.!@#%+=';

export type RandomFill = (bytes: Uint8Array) => void;

const fillFromCrypto: RandomFill = (bytes) => {
  globalThis.crypto.getRandomValues(bytes);
};

export function generatePassword(length = 24, fill: RandomFill = fillFromCrypto, alphabet = PASSWORD_ALPHABET): string {
  if (!Number.isInteger(length) || length < 8 || length > 128) throw new RangeError('length must be a whole number from 8 to 128');
  if (alphabet.length < 2 || alphabet.length > 256) throw new RangeError('the alphabet must hold 2 to 256 characters');
  const limit = 256 - (256 % alphabet.length);
  const out: string[] = [];
  const bytes = new Uint8Array(length * 2);
  while (out.length < length) {
    fill(bytes);
    for (const b of bytes) {
      if (b < limit && out.length < length) out.push(alphabet.charAt(b % alphabet.length));
    }
  }
  bytes.fill(0);
  return out.join('');
}
