/** base64url without padding (RFC 7515 §2), for JWS parts and thumbprints. */
import { createHash } from 'node:crypto';

export function base64url(data: Uint8Array | string): string {
  return Buffer.from(data).toString('base64url');
}

export function sha256Base64url(data: string): string {
  return createHash('sha256').update(data, 'utf8').digest('base64url');
}

/** The payload of a compact JWT, without verifying it (the SDK only reads its own token's claims). */
export function jwtPayload(jwt: string): Record<string, unknown> {
  const part = jwt.split('.')[1];
  if (part === undefined) return {};
  try {
    const value = JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as unknown;
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
