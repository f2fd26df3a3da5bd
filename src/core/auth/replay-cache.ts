import { VkError } from '../../shared/errors.js';
import { sha256Base64url } from './sha256-base64url.js';

/** 'fresh': first sighting, now recorded. 'replayed': seen within the TTL. 'full': refused, nothing recorded. */
export type ReplayVerdict = 'fresh' | 'replayed' | 'full';

export interface ReplayCacheOptions {
  readonly ttlSeconds?: number;
  readonly maxEntries?: number;
}

/**
 * DPoP replay cache (docs/security.md DPoP 8), keyed on SHA-256(jkt "." jti) so one agent cannot
 * pre-empt another's jti and the memory per entry is fixed and small. The TTL (120 s) outlives the proof
 * window (iat within now-60..now+5), so a proof is refused by its age before it can leave here.
 * A caller that knows when the proof stops being acceptable (its iat + 60 s) passes that instead:
 * an entry need not outlive its proof. Size / lifetime bounds the sustained rate of proofs: with a
 * fixed 120 s, 64 agents at ~950 proofs/s filled 100,000 entries and were answered 429 (torture soak).
 *
 * When full of unexpired entries it refuses new proofs ('full') rather than forgetting recent
 * ones: forgetting would reopen replay exactly when someone floods us. The endpoint answers
 * 429 rate_limited; honest agents retry once the flood's entries expire.
 */
export class ReplayCache {
  readonly #ttlSeconds: number;
  readonly #maxEntries: number;
  /** key → expiry (s). Insertion order approximates expiry order: the TTL is the same for all. */
  readonly #entries = new Map<string, number>();

  constructor(options: ReplayCacheOptions = {}) {
    this.#ttlSeconds = options.ttlSeconds ?? 120;
    // About 100 bytes an entry, measured (230 when the key kept the thumbprint and the jti hash
    // apart): 500,000 is ~50 MB at worst. Entries live ~61 s, so this leaves room for ~8,000 proofs/s
    // sustained, about twice what one engine serves on the 2-core machines we measure on (the
    // 64-agent soak reached ~3,000/s and hit the earlier 200,000 bound).
    this.#maxEntries = options.maxEntries ?? 500_000;
    if (!(this.#ttlSeconds > 0) || !Number.isSafeInteger(this.#maxEntries) || this.#maxEntries < 1) {
      throw new RangeError('ttlSeconds and maxEntries must be positive');
    }
  }

  get size(): number {
    return this.#entries.size;
  }

  /**
   * Looks up and, when fresh, records the pair in one step. `expiresAt` (seconds): the first
   * moment the proof would be refused by its age anyway; default now + TTL, never later than that.
   */
  record(jkt: string, jti: string, nowSeconds: number, expiresAt = nowSeconds + this.#ttlSeconds): ReplayVerdict {
    // One 43-character string an entry: the thumbprint (base64url, no '.') and the jti hashed together.
    const key = sha256Base64url(`${jkt}.${jti}`);
    const expiry = this.#entries.get(key);
    if (expiry !== undefined && expiry > nowSeconds) return 'replayed';
    this.#entries.delete(key);
    this.#evictExpired(nowSeconds);
    if (this.#entries.size >= this.#maxEntries) return 'full';
    this.#entries.set(key, Math.min(Math.max(expiresAt, nowSeconds + 1), nowSeconds + this.#ttlSeconds));
    return 'fresh';
  }

  /** True if already present (a replay); records the pair otherwise. Full → VkError('rate_limited'). */
  seen(jkt: string, jti: string, nowSeconds: number): boolean {
    const verdict = this.record(jkt, jti, nowSeconds);
    if (verdict === 'full') throw new VkError('rate_limited');
    return verdict === 'replayed';
  }

  #evictExpired(nowSeconds: number): void {
    for (const [key, expiry] of this.#entries) {
      if (expiry > nowSeconds) return;
      this.#entries.delete(key);
    }
  }
}
