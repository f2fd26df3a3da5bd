import { createHash } from 'node:crypto';

/** base64url(SHA-256(value)): how tokens and jtis are referred to without keeping them. */
export function sha256Base64url(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('base64url');
}
