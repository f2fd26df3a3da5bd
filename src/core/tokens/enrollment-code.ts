/**
 * One-time enrollment codes (docs/security.md "Device flow and enrollment"): 192 random bits, shown
 * once, stored only as a SHA-256 hash, good for 15 minutes and one redemption.
 */
import { createHash, randomBytes } from 'node:crypto';

export const ENROLLMENT_CODE_TTL_MS = 15 * 60 * 1000;
const PREFIX = 'vke_';
const CODE_BYTES = 24;
// 24 bytes are 32 base64url characters; the prefix lets secret scanners spot a leaked code.
const CODE_PATTERN = /^vke_[A-Za-z0-9_-]{32}$/;

export function newEnrollmentCode(): string {
  return PREFIX + randomBytes(CODE_BYTES).toString('base64url');
}

/**
 * A plain hash suffices: the code carries 192 random bits, so it cannot be guessed from its hash.
 * (A password hash would only slow down our own lookups.)
 */
export function hashEnrollmentCode(code: string): string {
  return createHash('sha256').update(code, 'utf8').digest('hex');
}

export function looksLikeEnrollmentCode(value: unknown): value is string {
  return typeof value === 'string' && CODE_PATTERN.test(value);
}
