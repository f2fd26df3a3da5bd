/**
 * Refusals are audited too (docs/security.md "Audit"), but a flood of bad requests must not fill the
 * disk. Each source (an agent key, a token id, a socket peer) gets a token bucket of `perMinute`
 * rows; beyond that refusals are counted, not written, and the next row that is written says how
 * many were left out. A global bucket per class of source (the part of the key before its first
 * `:`, e.g. `token` or `unverified`) caps that class's total, so rotating through made-up sources
 * does not help, and a flood of unverified requests cannot use up the rows of verified agents.
 * What a class's cap left out is counted on the next row written in that class.
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
  /** When log is true: refusals of any source in this class left out by the class's cap since its last logged row. */
  readonly suppressedInClass: number;
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
  private readonly globals = new Map<string, Bucket>();
  private readonly globalPerMinute: number;
  /** Map keeps insertion order; touching a source re-inserts it, so the first key is the least recent. */
  private readonly sources = new Map<string, Bucket>();

  constructor(options: RefusalLimiterOptions) {
    this.perMinute = positive(options.perMinute, 'perMinute');
    this.globalPerMinute = positive(options.globalPerMinute ?? options.perMinute * 10, 'globalPerMinute');
    this.maxSources = positive(options.maxSources ?? 10_000, 'maxSources');
  }

  shouldLog(sourceKey: string, now: number): RefusalDecision {
    const bucket = this.touch(sourceKey, now);
    const global = this.classBucket(sourceKey);
    refill(bucket, now, this.perMinute);
    refill(global, now, this.globalPerMinute);
    if (bucket.tokens < 1 || global.tokens < 1) {
      bucket.suppressed += 1;
      if (global.tokens < 1) global.suppressed += 1;
      return { log: false, suppressedSinceLast: bucket.suppressed, suppressedInClass: global.suppressed };
    }
    bucket.tokens -= 1;
    global.tokens -= 1;
    const suppressed = bucket.suppressed;
    const inClass = global.suppressed;
    bucket.suppressed = 0;
    global.suppressed = 0;
    return { log: true, suppressedSinceLast: suppressed, suppressedInClass: inClass };
  }

  /** Sources currently remembered (for tests and diagnostics). */
  size(): number {
    return this.sources.size;
  }

  private classBucket(sourceKey: string): Bucket {
    const cls = sourceKey.split(':', 1)[0] ?? '';
    let bucket = this.globals.get(cls);
    if (bucket === undefined) {
      bucket = { tokens: this.globalPerMinute, updatedAt: Number.NEGATIVE_INFINITY, suppressed: 0 };
      this.globals.set(cls, bucket);
    }
    return bucket;
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
