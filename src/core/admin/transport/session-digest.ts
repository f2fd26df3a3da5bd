import { createHash } from 'node:crypto';

/** SHA-256 of a session secret: compared digest to digest so timingSafeEqual sees equal lengths. */
export function sha256(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}
