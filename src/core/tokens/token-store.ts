/** The SQL for the `tokens` table, prepared once, and the row ↔ record mapping. */
import type { Database, Statement } from 'better-sqlite3';
import { parseScope } from '../auth/scopes.js';
import type { TokenRecord } from '../agent/agent-services.js';
import type { TokenApproval, TokenBinding, TokenOrigin } from '../../shared/model.js';

/** A record plus what only the token service needs: when its enrollment code stops working. */
export interface StoredToken extends TokenRecord {
  readonly enrollmentExpiresAt: number | null;
}

interface TokenRow {
  readonly id: string;
  readonly name: string;
  readonly origin: string;
  readonly scope: string;
  readonly binding: string;
  readonly approval: string;
  readonly max_uses: number | null;
  readonly requests_per_minute: number | null;
  readonly uses: number;
  readonly created_at: number;
  readonly expires_at: number;
  readonly revoked_at: number | null;
  readonly enrollment_expires_at: number | null;
  readonly enrolled_at: number | null;
  readonly jkt: string | null;
  readonly parent_id: string | null;
  readonly actors: string;
  readonly last_used_at: number | null;
}

// Never the enrollment hash: nothing outside the redeem statement needs it.
const COLUMNS = `id, name, origin, scope, binding, approval, max_uses, requests_per_minute, uses, created_at,
  expires_at, revoked_at, enrollment_expires_at, enrolled_at, jkt, parent_id, actors, last_used_at`;

const SUBTREE = `WITH RECURSIVE tree(id) AS (
  SELECT id FROM tokens WHERE id = @id
  UNION SELECT tokens.id FROM tokens JOIN tree ON tokens.parent_id = tree.id)`;

export class TokenStore {
  readonly #insert: Statement;
  readonly #liveSince: Statement<[number], TokenRow>;
  readonly #all: Statement<[], TokenRow>;
  readonly #byHash: Statement<[string], TokenRow>;
  readonly #redeem: Statement<[{ id: string; hash: string; jkt: string | null; now: number }]>;
  readonly #exists: Statement<[string], { one: number }>;
  readonly #revokeTree: Statement<[{ id: string; now: number; reason: string }], { id: string }>;
  readonly #revokeActive: Statement<[{ now: number; reason: string }], { id: string }>;
  readonly #countUse: Statement<[number, string]>;
  readonly #lastUsed: Statement<[number, number, string]>;
  readonly #countUses: (ids: readonly string[], now: number) => void;
  readonly #writeBehind: (uses: ReadonlyMap<string, { readonly uses: number; readonly at: number }>) => void;

  constructor(db: Database) {
    this.#insert = db.prepare(
      `INSERT INTO tokens (id, name, origin, scope, binding, approval, max_uses, requests_per_minute, uses, created_at,
        expires_at, revoked_at, enrollment_hash, enrollment_expires_at, enrolled_at, jkt, parent_id, actors, last_used_at)
       VALUES (@id, @name, @origin, @scope, @binding, @approval, @max_uses, @requests_per_minute, @uses, @created_at,
        @expires_at, @revoked_at, @enrollment_hash, @enrollment_expires_at, @enrolled_at, @jkt, @parent_id, @actors, @last_used_at)`,
    );
    this.#liveSince = db.prepare(`SELECT ${COLUMNS} FROM tokens WHERE expires_at > ?`);
    this.#all = db.prepare(`SELECT ${COLUMNS} FROM tokens ORDER BY created_at DESC, id DESC`);
    this.#byHash = db.prepare(`SELECT ${COLUMNS} FROM tokens WHERE enrollment_hash = ?`);
    // The WHERE makes redemption single use even if two redeems race: only one UPDATE matches.
    this.#redeem = db.prepare(
      `UPDATE tokens SET enrollment_hash = NULL, jkt = @jkt, enrolled_at = @now
       WHERE id = @id AND enrollment_hash = @hash AND enrolled_at IS NULL AND revoked_at IS NULL
         AND enrollment_expires_at > @now AND expires_at > @now`,
    );
    this.#exists = db.prepare(`SELECT 1 AS one FROM tokens WHERE id = ?`);
    this.#revokeTree = db.prepare(
      `${SUBTREE} UPDATE tokens SET revoked_at = @now, revoked_reason = @reason, enrollment_hash = NULL
       WHERE id IN tree AND revoked_at IS NULL RETURNING id`,
    );
    this.#revokeActive = db.prepare(
      `UPDATE tokens SET revoked_at = @now, revoked_reason = @reason, enrollment_hash = NULL
       WHERE revoked_at IS NULL AND expires_at > @now RETURNING id`,
    );
    this.#countUse = db.prepare(`UPDATE tokens SET uses = uses + 1, last_used_at = ? WHERE id = ?`);
    this.#lastUsed = db.prepare(`UPDATE tokens SET uses = max(uses, ?), last_used_at = ? WHERE id = ?`);
    this.#countUses = db.transaction((ids: readonly string[], now: number) => {
      for (const id of ids) this.#countUse.run(now, id);
    });
    this.#writeBehind = db.transaction((uses: ReadonlyMap<string, { readonly uses: number; readonly at: number }>) => {
      for (const [id, u] of uses) this.#lastUsed.run(u.uses, u.at, id);
    });
  }

  insert(token: StoredToken, enrollmentHash: string | null): void {
    this.#insert.run({
      id: token.id,
      name: token.name,
      origin: token.origin,
      scope: token.scopeText,
      binding: token.binding,
      approval: JSON.stringify(token.approval),
      max_uses: token.maxUses,
      requests_per_minute: token.requestsPerMinute,
      uses: token.uses,
      created_at: token.createdAt,
      expires_at: token.expiresAt,
      revoked_at: token.revokedAt,
      enrollment_hash: enrollmentHash,
      enrollment_expires_at: token.enrollmentExpiresAt,
      enrolled_at: token.enrolledAt,
      jkt: token.jkt,
      parent_id: token.parentId,
      actors: JSON.stringify(token.actors),
      last_used_at: token.lastUsedAt,
    });
  }

  /** Tokens that expire after `cutoff` (ms): what the service keeps in memory. */
  liveSince(cutoff: number): StoredToken[] {
    return this.#liveSince.all(cutoff).map(toStoredToken);
  }

  /** Every token, newest first (for listing). */
  all(): StoredToken[] {
    return this.#all.all().map(toStoredToken);
  }

  byEnrollmentHash(hash: string): StoredToken | undefined {
    const row = this.#byHash.get(hash);
    return row === undefined ? undefined : toStoredToken(row);
  }

  /** Clears the code and binds the key in one statement; false if someone else redeemed it first. */
  redeem(id: string, hash: string, jkt: string | null, now: number): boolean {
    return this.#redeem.run({ id, hash, jkt, now }).changes === 1;
  }

  exists(id: string): boolean {
    return this.#exists.get(id) !== undefined;
  }

  /** Revokes the token and every descendant in one statement; returns the ids newly revoked. */
  revokeTree(id: string, now: number, reason: string): string[] {
    return this.#revokeTree.all({ id, now, reason }).map((r) => r.id);
  }

  revokeActive(now: number, reason: string): string[] {
    return this.#revokeActive.all({ now, reason }).map((r) => r.id);
  }

  /** Durable use count for tokens with a maximum: one transaction, before the request goes on. */
  countUses(ids: readonly string[], now: number): void {
    this.#countUses(ids, now);
  }

  /** Write-behind of use counts and last-used times for tokens without a maximum. */
  writeUsage(uses: ReadonlyMap<string, { readonly uses: number; readonly at: number }>): void {
    if (uses.size > 0) this.#writeBehind(uses);
  }
}

function toStoredToken(row: TokenRow): StoredToken {
  return {
    id: row.id,
    name: row.name,
    origin: row.origin as TokenOrigin,
    scope: parseScope(row.scope),
    scopeText: row.scope,
    binding: row.binding as TokenBinding,
    approval: JSON.parse(row.approval) as TokenApproval,
    maxUses: row.max_uses,
    requestsPerMinute: row.requests_per_minute,
    uses: row.uses,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    revokedAt: row.revoked_at,
    enrolledAt: row.enrolled_at,
    jkt: row.jkt,
    parentId: row.parent_id,
    actors: JSON.parse(row.actors) as string[],
    lastUsedAt: row.last_used_at,
    enrollmentExpiresAt: row.enrollment_expires_at,
  };
}
