/**
 * Every token that can still matter, in memory, in front of the `tokens` table: `get` is a Map
 * lookup on the request path. Every change goes to the database first and to the Map right
 * after, in the same synchronous call, so a revocation is in force before its caller resumes.
 */
import type { Database } from 'better-sqlite3';
import { VkError } from '../../shared/errors.js';
import { TokenStore, type StoredToken } from './token-store.js';
import { UsageLimiter } from './usage-limiter.js';

/** Expired tokens stay in memory this long, then only in the database (for listing). */
export const RECORD_RETENTION_MS = 24 * 3600 * 1000;
/** Use counts of tokens without a maximum are written at most this late. */
export const WRITE_BEHIND_MS = 1000;
const PRUNE_EVERY_MS = 3600 * 1000;
// An exchange chain longer than this is refused when made, so walking one is bounded.
export const MAX_CHAIN_DEPTH = 8;

export class TokenRegistry {
  readonly #store: TokenStore;
  readonly #records = new Map<string, StoredToken>();
  readonly #limiter = new UsageLimiter();
  readonly #dirty = new Map<string, { readonly uses: number; readonly at: number }>();
  #flushTimer: NodeJS.Timeout | undefined;
  #lastPrune: number;

  constructor(db: Database, now: number) {
    this.#store = new TokenStore(db);
    for (const token of this.#store.liveSince(now - RECORD_RETENTION_MS)) this.#records.set(token.id, token);
    this.#lastPrune = now;
  }

  get(id: string): StoredToken | undefined {
    return this.#records.get(id);
  }

  add(token: StoredToken, enrollmentHash: string | null): void {
    this.#store.insert(token, enrollmentHash);
    this.#records.set(token.id, token);
    this.#prune(token.createdAt);
  }

  /** The token a code was issued for, if the code is still on file (redeemed codes are not). */
  byEnrollmentHash(hash: string): StoredToken | undefined {
    const token = this.#store.byEnrollmentHash(hash);
    return token === undefined ? undefined : (this.#records.get(token.id) ?? token);
  }

  /** Binds the key and burns the code; undefined if the code was redeemed, revoked or expired meanwhile. */
  redeem(token: StoredToken, hash: string, jkt: string | null, now: number): StoredToken | undefined {
    if (!this.#store.redeem(token.id, hash, jkt, now)) return undefined;
    const next: StoredToken = { ...(this.#records.get(token.id) ?? token), jkt, enrolledAt: now };
    this.#records.set(next.id, next);
    return next;
  }

  /** Revokes a token and all its descendants; the ids newly revoked. Unknown id → not_found. */
  revokeTree(id: string, now: number, reason: string): string[] {
    const ids = this.#store.revokeTree(id, now, reason);
    if (ids.length === 0 && !this.#store.exists(id)) throw new VkError('not_found', 'no token with that id');
    this.#markRevoked(ids, now);
    return ids;
  }

  revokeActive(now: number, reason: string): string[] {
    const ids = this.#store.revokeActive(now, reason);
    this.#markRevoked(ids, now);
    return ids;
  }

  /** Every token in the database, newest first, with the in-memory use counts (fresher). */
  all(): StoredToken[] {
    return this.#store.all().map((row) => this.#records.get(row.id) ?? row);
  }

  /** The token and its ancestors, nearest first. */
  chain(id: string): StoredToken[] {
    const chain: StoredToken[] = [];
    for (let t = this.#records.get(id); t !== undefined && chain.length <= MAX_CHAIN_DEPTH; t = t.parentId === null ? undefined : this.#records.get(t.parentId)) {
      chain.push(t);
    }
    return chain;
  }

  /**
   * Counts one use against the token and every ancestor, so sub-agents share their parent's
   * limits instead of multiplying them. Checks all before changing any.
   */
  consume(id: string, now: number): void {
    const chain = this.chain(id);
    const token = chain[0];
    if (token === undefined || token.revokedAt !== null || token.expiresAt <= now) throw new VkError('invalid_token');
    if (chain.some((t) => t.maxUses !== null && t.uses >= t.maxUses)) throw new VkError('token_limit_reached');
    if (chain.some((t) => t.requestsPerMinute !== null && !this.#limiter.allows(t.id, t.requestsPerMinute, now))) throw new VkError('rate_limited');
    // Limited counts are durable before the request goes on; a crash must not hand out uses again.
    const limited = chain.filter((t) => t.maxUses !== null).map((t) => t.id);
    if (limited.length > 0) this.#store.countUses(limited, now);
    for (const t of chain) {
      if (t.requestsPerMinute !== null) this.#limiter.record(t.id, now);
      const next: StoredToken = { ...t, uses: t.uses + 1, lastUsedAt: now };
      this.#records.set(t.id, next);
      if (t.maxUses === null) this.#markDirty(next);
    }
  }

  /** Writes pending use counts now (the engine calls this on close). */
  flush(): void {
    clearTimeout(this.#flushTimer);
    this.#flushTimer = undefined;
    const batch = new Map(this.#dirty);
    this.#store.writeUsage(batch);
    for (const [id, u] of batch) if (this.#dirty.get(id) === u) this.#dirty.delete(id);
  }

  #markDirty(token: StoredToken): void {
    this.#dirty.set(token.id, { uses: token.uses, at: token.lastUsedAt ?? 0 });
    if (this.#flushTimer !== undefined) return;
    this.#flushTimer = setTimeout(() => {
      try {
        this.flush();
      } catch {
        this.#flushTimer = undefined; // kept dirty; the next use schedules another try
      }
    }, WRITE_BEHIND_MS);
    this.#flushTimer.unref();
  }

  #markRevoked(ids: readonly string[], now: number): void {
    for (const id of ids) {
      const token = this.#records.get(id);
      if (token !== undefined) this.#records.set(id, { ...token, revokedAt: now });
      this.#limiter.forget(id);
    }
  }

  #prune(now: number): void {
    if (now - this.#lastPrune < PRUNE_EVERY_MS) return;
    this.#lastPrune = now;
    for (const [id, token] of this.#records) {
      if (token.expiresAt > now - RECORD_RETENTION_MS) continue;
      this.#records.delete(id);
      this.#limiter.forget(id);
    }
  }
}
