/**
 * Every token that can still matter, in memory, in front of the `tokens` table: `get` is a Map
 * lookup on the request path. Every change goes to the database first and to the Map right
 * after, in the same synchronous call, so a revocation is in force before its caller resumes.
 */
import type { Database } from 'better-sqlite3';
import { revokedPerLog, type RevocationsInLog } from '../integrity/revocations-in-log.js';
import { VkError } from '../../shared/errors.js';
import type { RowSeal } from '../integrity/row-seal.js';
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
  readonly #dirty = new Set<string>();
  /** Rows that failed their MAC at load: they grant nothing, and asking for one says why. */
  readonly #tampered = new Set<string>();
  readonly #seal: RowSeal;
  readonly #clock: () => number;
  #loaded = false;
  #flushTimer: NodeJS.Timeout | undefined;
  #lastPrune: number;

  constructor(db: Database, clock: () => number, seal: RowSeal) {
    this.#store = new TokenStore(db, seal);
    this.#seal = seal;
    this.#clock = clock;
    this.#lastPrune = clock();
  }

  /**
   * Reads the tokens that can still matter and checks each row's MAC. That needs the engine's key,
   * so it happens at the first unlock (the engine calls it) or the first lookup after it; until
   * then no token is known, and none is accepted.
   */
  load(): void {
    if (this.#loaded || !this.#seal.ready) return;
    const { tokens, tampered } = this.#store.liveSince(this.#clock() - RECORD_RETENTION_MS);
    for (const token of tokens) if (!this.#records.has(token.id)) this.#records.set(token.id, token);
    for (const id of tampered) this.#tampered.add(id);
    this.#loaded = true;
  }

  /** Live tokens whose row says "not revoked" while the audit log says they were: refused and reported. */
  refuseRevokedInLog(log: RevocationsInLog): void {
    this.load();
    for (const token of this.#records.values()) {
      if (token.revokedAt !== null || !revokedPerLog(log, token)) continue;
      this.#tampered.add(token.id);
      this.#seal.report('tokens', token.id);
    }
  }

  /** The token's record; tamper_detected if its row failed its MAC. A token with no row is unknown. */
  get(id: string): StoredToken | undefined {
    this.load();
    if (this.#tampered.has(id)) throw new VkError('tamper_detected');
    return this.#records.get(id);
  }

  /** True for a token known and not tampered with. */
  has(id: string): boolean {
    this.load();
    return this.#records.has(id) && !this.#tampered.has(id);
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
    if (!this.#store.redeem(token, hash, jkt, now)) return undefined;
    const next: StoredToken = { ...(this.#records.get(token.id) ?? token), jkt, enrolledAt: now };
    this.#records.set(next.id, next);
    return next;
  }

  /** Marks a known token as guarded (its row and MAC too); nothing for a token this engine does not hold. */
  markGuarded(id: string): void {
    const token = this.get(id);
    if (token === undefined || token.guarded === true) return;
    this.#records.set(id, this.#store.markGuarded(token));
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

  /**
   * The token and its ancestors, nearest first. A live token whose parent row is gone or failed
   * its MAC is refused: deleting a parent must not shed its limits or its revocation.
   */
  chain(id: string): StoredToken[] {
    const chain: StoredToken[] = [];
    for (let t = this.get(id); t !== undefined && chain.length <= MAX_CHAIN_DEPTH; t = t.parentId === null ? undefined : this.#parent(t)) {
      chain.push(t);
    }
    return chain;
  }

  #parent(child: StoredToken): StoredToken {
    const parentId = child.parentId ?? '';
    const parent = this.get(parentId);
    if (parent !== undefined) return parent;
    // Parents outlive their children (exp ≤ parent's), so a missing one was removed by hand.
    this.#seal.report('tokens', parentId);
    throw new VkError('tamper_detected');
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
    const next = chain.map((t): StoredToken => ({ ...t, uses: t.uses + 1, lastUsedAt: now }));
    this.#store.writeUses(next.filter((t) => t.maxUses !== null));
    for (const t of next) {
      if (t.requestsPerMinute !== null) this.#limiter.record(t.id, now);
      this.#records.set(t.id, t);
      if (t.maxUses === null) this.#markDirty(t);
    }
  }

  /** Writes pending use counts now (the engine calls this on close). */
  flush(): void {
    clearTimeout(this.#flushTimer);
    this.#flushTimer = undefined;
    const batch = [...this.#dirty].flatMap((id) => this.#records.get(id) ?? []);
    this.#store.writeUses(batch);
    this.#dirty.clear();
  }

  #markDirty(token: StoredToken): void {
    this.#dirty.add(token.id);
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
