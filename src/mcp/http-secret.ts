/**
 * The access secret of `valetkey mcp --http`: random per start (or pinned by the person with
 * VALETKEY_MCP_SECRET so client configs survive restarts), compared in constant time.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { VkError } from '../shared/errors.js';

const MIN_SECRET_CHARS = 32;

export function chooseSecret(pinned: string | undefined): string {
  if (pinned === undefined || pinned === '') return `vkmcp_${randomBytes(32).toString('base64url')}`;
  if (pinned.length < MIN_SECRET_CHARS || /\s/.test(pinned)) {
    throw new VkError('invalid_request', `VALETKEY_MCP_SECRET must be at least ${MIN_SECRET_CHARS} characters without spaces`);
  }
  return pinned;
}

/** Hashing first makes the comparison constant-time whatever the lengths. */
export function secretMatches(authorization: string | undefined, secret: string): boolean {
  const match = /^Bearer +(\S+)$/i.exec(authorization?.trim() ?? '');
  if (match?.[1] === undefined) return false;
  return timingSafeEqual(digest(match[1]), digest(secret));
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}
