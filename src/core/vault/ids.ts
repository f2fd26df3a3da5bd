import { randomBytes } from 'node:crypto';
import { base32Encode } from './base32.js';

/** A fresh id: 128 random bits as 26 lowercase base32 characters (safe in URLs and vk:// refs). */
export function newId(): string {
  return base32Encode(randomBytes(16));
}

const ID_PATTERN = /^[a-z2-7]{26}$/;

/** Whether `ref` has the shape of an id (vault and entry refs may be an id or a name). */
export function looksLikeId(ref: string): boolean {
  return ID_PATTERN.test(ref);
}
