import type { KeyObject } from 'node:crypto';
import { verifyAccessToken, ACCESS_TOKEN_CLOCK_TOLERANCE, type AccessTokenClaims, type VerifyAccessTokenOptions } from './access-token.js';
import { sha256Base64url } from './sha256-base64url.js';

interface CachedToken {
  /** Key, issuer and audience the token was verified against: a hit must match all three. */
  readonly publicKey: KeyObject;
  readonly context: string;
  readonly claims: AccessTokenClaims;
  readonly validUntil: number;
}

/**
 * Bounded LRU of tokens already verified, keyed on SHA-256(token) so the cache never holds a
 * usable token. An entry lives until the token's `exp` (with the same tolerance as verification).
 * Revocation and pause are deliberately NOT cached here: the caller checks them every request.
 */
export class VerifiedTokenCache {
  readonly #maxEntries: number;
  readonly #entries = new Map<string, CachedToken>();

  constructor(options: { readonly maxEntries?: number } = {}) {
    this.#maxEntries = options.maxEntries ?? 10_000;
    if (!Number.isSafeInteger(this.#maxEntries) || this.#maxEntries < 1) throw new RangeError('maxEntries must be a positive integer');
  }

  get size(): number {
    return this.#entries.size;
  }

  /** verifyAccessToken, skipped when this exact token was verified under the same key and is unexpired. */
  async verify(token: string, options: VerifyAccessTokenOptions): Promise<AccessTokenClaims> {
    const hash = sha256Base64url(token);
    const context = `${options.key.keyId}\n${options.issuer}\n${options.audience}`;
    const publicKey = options.key.publicKey;
    const hit = this.#lookup(hash, publicKey, context, options.nowSeconds);
    if (hit !== undefined) return hit;
    const claims = await verifyAccessToken(token, options);
    this.#store(hash, { publicKey, context, claims, validUntil: claims.exp + ACCESS_TOKEN_CLOCK_TOLERANCE });
    return claims;
  }

  /** Forget everything, e.g. when the signing key is rotated. */
  clear(): void {
    this.#entries.clear();
  }

  /** Whether this token is cached (expired or not); for tests and metrics. */
  has(token: string): boolean {
    return this.#entries.has(sha256Base64url(token));
  }

  #lookup(hash: string, publicKey: KeyObject, context: string, nowSeconds: number): AccessTokenClaims | undefined {
    const entry = this.#entries.get(hash);
    if (entry === undefined) return undefined;
    this.#entries.delete(hash);
    // Mirrors jose: a token is expired once exp <= now - tolerance.
    if (entry.publicKey !== publicKey || entry.context !== context || entry.validUntil <= nowSeconds) return undefined;
    this.#entries.set(hash, entry); // re-insert: most recently used goes last
    return entry.claims;
  }

  #store(hash: string, entry: CachedToken): void {
    this.#entries.delete(hash);
    this.#entries.set(hash, entry);
    while (this.#entries.size > this.#maxEntries) {
      const oldest = this.#entries.keys().next();
      if (oldest.done === true) break;
      this.#entries.delete(oldest.value);
    }
  }
}
