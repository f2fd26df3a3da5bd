/**
 * Refusals are audited too (SECURITY.md "Audit"), but a flood of bad requests must not fill the
 * disk. Each source (an agent key, a token id, a socket peer) gets a token bucket of `perMinute`
 * rows; beyond that refusals are counted, not written, and the next row that is written says how
 * many were left out. A global bucket caps the total, so rotating through sources does not help.
 */
export interface RefusalLimiterOptions {
  /** Refusal rows per source per minute; also the burst size. */
  readonly perMinute: number;
  /** Refusal rows per minute across all sources; default 10 × perMinute. */
  readonly globalPerMinute?: number;
  /** Sources remembered at once; the least recently seen is forgotten first. Default 10,000. */
  readonly maxSources?: number;
}

export interface RefusalDecision {
  readonly log: boolean;
  /** When log is true: refusals from this source left out since its last logged one. Otherwise: left out so far, this one included. */
  readonly suppressedSinceLast: number;
}

interface Bucket {
  tokens: number;
  updatedAt: number;
  suppressed: number;
}

const MINUTE_MS = 60_000;

export class RefusalLimiter {
  private readonly perMinute: number;
  private readonly maxSources: number;
  private readonly global: Bucket;
  private readonly globalPerMinute: number;
  /** Map keeps insertion order; touching a source re-inserts it, so the first key is the least recent. */
  private readonly sources = new Map<string, Bucket>();

  constructor(options: RefusalLimiterOptions) {
    this.perMinute = positive(options.perMinute, 'perMinute');
    this.globalPerMinute = positive(options.globalPerMinute ?? options.perMinute * 10, 'globalPerMinute');
    this.maxSources = positive(options.maxSources ?? 10_000, 'maxSources');
    this.global = { tokens: this.globalPerMinute, updatedAt: Number.NEGATIVE_INFINITY, suppressed: 0 };
  }

  shouldLog(sourceKey: string, now: number): RefusalDecision {
    const bucket = this.touch(sourceKey, now);
    refill(bucket, now, this.perMinute);
    refill(this.global, now, this.globalPerMinute);
    if (bucket.tokens < 1 || this.global.tokens < 1) {
      bucket.suppressed += 1;
      return { log: false, suppressedSinceLast: bucket.suppressed };
    }
    bucket.tokens -= 1;
    this.global.tokens -= 1;
    const suppressed = bucket.suppressed;
    bucket.suppressed = 0;
    return { log: true, suppressedSinceLast: suppressed };
  }

  /** Sources currently remembered (for tests and diagnostics). */
  size(): number {
    return this.sources.size;
  }

  private touch(sourceKey: string, now: number): Bucket {
    const known = this.sources.get(sourceKey);
    if (known !== undefined) this.sources.delete(sourceKey);
    const bucket = known ?? { tokens: this.perMinute, updatedAt: now, suppressed: 0 };
    this.sources.set(sourceKey, bucket);
    if (this.sources.size > this.maxSources) {
      const oldest = this.sources.keys().next();
      if (oldest.done !== true) this.sources.delete(oldest.value);
    }
    return bucket;
  }
}

function refill(bucket: Bucket, now: number, perMinute: number): void {
  if (now > bucket.updatedAt) {
    const elapsed = bucket.updatedAt === Number.NEGATIVE_INFINITY ? 0 : now - bucket.updatedAt;
    bucket.tokens = Math.min(perMinute, bucket.tokens + (elapsed * perMinute) / MINUTE_MS);
    bucket.updatedAt = now;
  }
}

function positive(value: number, name: string): number {
  if (!Number.isFinite(value) || value <= 0) throw new RangeError(`RefusalLimiter: ${name} must be a positive number`);
  return value;
}
