import { randomBytes, randomInt } from 'node:crypto';

/** RFC 8628 §6.1: consonants only, no vowels (no words) and no look-alikes such as 0/O or 1/I. */
export const USER_CODE_ALPHABET = 'BCDFGHJKLMNPQRSTVWXZ';
const USER_CODE_LENGTH = 8;
const DEVICE_CODE_BYTES = 32;

/** 256 random bits, base64url: the agent's secret for polling. Only its SHA-256 is stored. */
export function newDeviceCode(): string {
  return randomBytes(DEVICE_CODE_BYTES).toString('base64url');
}

/** `XXXX-XXXX`, uniform over the alphabet (randomInt avoids modulo bias). */
export function newUserCode(): string {
  let code = '';
  for (let i = 0; i < USER_CODE_LENGTH; i += 1) code += USER_CODE_ALPHABET[randomInt(USER_CODE_ALPHABET.length)];
  return `${code.slice(0, 4)}-${code.slice(4)}`;
}
