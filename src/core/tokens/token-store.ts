/** The SQL for the `tokens` table, prepared once, and the row ↔ record mapping. */
import type { Database, Statement } from 'better-sqlite3';
import { parseScope } from '../auth/scopes.js';
import type { TokenRecord } from '../agent/agent-services.js';
import type { TokenApproval, TokenBinding, TokenOrigin } from '../../shared/model.js';
import type { MacField } from '../integrity/row-mac.js';
import type { RowSeal } from '../integrity/row-seal.js';

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
  readonly proxy_other_hosts: string | null;
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
  readonly enrollment_hash: string | null;
  readonly guarded: number;
  readonly mac: string | null;
}

// The enrollment hash is read only to check the row's MAC; it never leaves this module.
const COLUMNS = `id, name, origin, scope, binding, approval, max_uses, requests_per_minute, proxy_other_hosts, uses, created_at,
  expires_at, revoked_at, enrollment_expires_at, enrolled_at, jkt, parent_id, actors, last_used_at, enrollment_hash, guarded, mac`;

/**
 * What a token row's MAC covers: everything that decides what the token may do and for how long,
 * including the use count (a maximum is a limit), revocation, the bound key, the enrollment code's
 * hash, the exchange chain (parent and actors) and whether a tripwire guard exists. Only
 * last_used_at, a display value, is left out. The proxy setting and `guarded` join the list only
 * when set, so rows written before they existed keep their MACs, and setting or clearing either
 * without the key changes the message all the same.
 */
export function tokenFields(t: StoredToken, enrollmentHash: string | null): MacField[] {
  return [
    t.name, t.origin, t.scopeText, t.binding, JSON.stringify(t.approval), t.maxUses, t.requestsPerMinute, t.uses, t.createdAt,
    t.expiresAt, t.revokedAt, enrollmentHash, t.enrollmentExpiresAt, t.enrolledAt, t.jkt, t.parentId, JSON.stringify(t.actors),
    ...(t.proxyOtherHosts === null ? [] : [`proxy_other_hosts=${t.proxyOtherHosts}`]),
    ...(t.guarded === true ? ['guarded'] : []),
  ];
}

const SUBTREE = `WITH RECURSIVE tree(id) AS (
  SELECT id FROM tokens WHERE id = @id
  UNION SELECT tokens.id FROM tokens JOIN tree ON tokens.parent_id = tree.id)`;

export class TokenStore {
  readonly #insert: Statement;
  readonly #liveSince: Statement<[number], TokenRow>;
  readonly #all: Statement<[], TokenRow>;
  readonly #byHash: Statement<[string], TokenRow>;
  readonly #redeem: Statement<[{ id: string; hash: string; jkt: string | null; now: number; mac: string }]>;
  readonly #exists: Statement<[string], { one: number }>;
  readonly #subtree: Statement<[{ id: string }], TokenRow>;
  readonly #active: Statement<[number], TokenRow>;
  readonly #revoke: Statement<[{ id: string; now: number; reason: string; mac: string | null }]>;
  readonly #setUses: Statement<[number, number | null, string, string]>;
  readonly #setGuarded: Statement<[number, number | null, string, string]>;
  readonly #enrollmentHash: Statement<[string], string | null>;
  readonly #revokeMany: (rows: readonly TokenRow[], now: number, reason: string) => string[];
  readonly #writeUses: (tokens: readonly StoredToken[]) => void;

  constructor(db: Database, private readonly seal: RowSeal) {
    this.#insert = db.prepare(
      `INSERT INTO tokens (id, name, origin, scope, binding, approval, max_uses, requests_per_minute, proxy_other_hosts, uses, created_at,
        expires_at, revoked_at, enrollment_hash, enrollment_expires_at, enrolled_at, jkt, parent_id, actors, last_used_at, mac)
       VALUES (@id, @name, @origin, @scope, @binding, @approval, @max_uses, @requests_per_minute, @proxy_other_hosts, @uses, @created_at,
        @expires_at, @revoked_at, @enrollment_hash, @enrollment_expires_at, @enrolled_at, @jkt, @parent_id, @actors, @last_used_at, @mac)`,
    );
    this.#liveSince = db.prepare(`SELECT ${COLUMNS} FROM tokens WHERE expires_at > ?`);
    this.#all = db.prepare(`SELECT ${COLUMNS} FROM tokens ORDER BY created_at DESC, id DESC`);
    this.#byHash = db.prepare(`SELECT ${COLUMNS} FROM tokens WHERE enrollment_hash = ?`);
    // The WHERE makes redemption single use even if two redeems race: only one UPDATE matches.
    this.#redeem = db.prepare(
      `UPDATE tokens SET enrollment_hash = NULL, jkt = @jkt, enrolled_at = @now, mac = @mac
       WHERE id = @id AND enrollment_hash = @hash AND enrolled_at IS NULL AND revoked_at IS NULL
         AND enrollment_expires_at > @now AND expires_at > @now`,
    );
    this.#exists = db.prepare(`SELECT 1 AS one FROM tokens WHERE id = ?`);
    this.#subtree = db.prepare(`${SUBTREE} SELECT ${COLUMNS} FROM tokens WHERE id IN tree AND revoked_at IS NULL`);
    this.#active = db.prepare(`SELECT ${COLUMNS} FROM tokens WHERE revoked_at IS NULL AND expires_at > ?`);
    // A row that failed its MAC is revoked too, but keeps its bad MAC: revoking must not bless it.
    this.#revoke = db.prepare(
      `UPDATE tokens SET revoked_at = @now, revoked_reason = @reason, enrollment_hash = NULL, mac = coalesce(@mac, mac)
       WHERE id = @id AND revoked_at IS NULL`,
    );
    this.#setUses = db.prepare(`UPDATE tokens SET uses = ?, last_used_at = ?, mac = ? WHERE id = ?`);
    this.#revokeMany = db.transaction((rows: readonly TokenRow[], now: number, reason: string) => {
      const ids: string[] = [];
      for (const row of rows) {
        const token = this.#checked(row);
        const mac = token === undefined ? null : this.seal.sign('tokens', row.id, tokenFields({ ...token, revokedAt: now }, null));
        if (this.#revoke.run({ id: row.id, now, reason, mac }).changes === 1) ids.push(row.id);
      }
      return ids;
    });
    // The in-memory use count goes with it: the MAC covers it, and the row may hold an older one.
    this.#enrollmentHash = db.prepare<[string], string | null>('SELECT enrollment_hash FROM tokens WHERE id = ?').pluck();
    this.#setGuarded = db.prepare('UPDATE tokens SET guarded = 1, uses = ?, last_used_at = ?, mac = ? WHERE id = ?');
    this.#writeUses = db.transaction((tokens: readonly StoredToken[]) => {
      for (const t of tokens) this.#setUses.run(t.uses, t.lastUsedAt, this.seal.sign('tokens', t.id, tokenFields(t, null)), t.id);
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
      proxy_other_hosts: token.proxyOtherHosts,
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
      mac: this.seal.sign('tokens', token.id, tokenFields(token, enrollmentHash)),
    });
  }

  /** Tokens that expire after `cutoff` (ms) and pass their MAC check: what the service keeps in memory. */
  liveSince(cutoff: number): { readonly tokens: StoredToken[]; readonly tampered: string[] } {
    const tokens: StoredToken[] = [];
    const tampered: string[] = [];
    for (const row of this.#liveSince.all(cutoff)) {
      const token = this.#checked(row);
      if (token === undefined) tampered.push(row.id);
      else tokens.push(token);
    }
    return { tokens, tampered };
  }

  /** Every token, newest first (for listing; rows are shown as stored, checked or not). */
  all(): StoredToken[] {
    return this.#all.all().map(toStoredToken);
  }

  /** The token a code was issued for; undefined when there is none, tamper_detected when its row fails. */
  byEnrollmentHash(hash: string): StoredToken | undefined {
    const row = this.#byHash.get(hash);
    if (row === undefined) return undefined;
    this.seal.check('tokens', row.id, tokenFields(toStoredToken(row), row.enrollment_hash), row.mac);
    return toStoredToken(row);
  }

  /** Clears the code and binds the key in one statement; false if someone else redeemed it first. */
  redeem(token: StoredToken, hash: string, jkt: string | null, now: number): boolean {
    const mac = this.seal.sign('tokens', token.id, tokenFields({ ...token, jkt, enrolledAt: now }, null));
    return this.#redeem.run({ id: token.id, hash, jkt, now, mac }).changes === 1;
  }

  exists(id: string): boolean {
    return this.#exists.get(id) !== undefined;
  }

  /** Revokes the token and every descendant in one transaction; returns the ids newly revoked. */
  revokeTree(id: string, now: number, reason: string): string[] {
    return this.#revokeMany(this.#subtree.all({ id }), now, reason);
  }

  revokeActive(now: number, reason: string): string[] {
    return this.#revokeMany(this.#active.all(now), now, reason);
  }

  /** Writes use counts (with their MACs) in one transaction: before the request goes on for tokens with a maximum. */
  writeUses(tokens: readonly StoredToken[]): void {
    if (tokens.length > 0) this.#writeUses(tokens);
  }

  /** Records that the token now has a tripwire guard, under the row's MAC; the token as it now is. */
  markGuarded(token: StoredToken): StoredToken {
    const next: StoredToken = { ...token, guarded: true };
    // A token not yet redeemed still has its code's hash on file, under the same MAC.
    const hash = this.#enrollmentHash.get(token.id) ?? null;
    this.#setGuarded.run(next.uses, next.lastUsedAt, this.seal.sign('tokens', token.id, tokenFields(next, hash)), token.id);
    return next;
  }

  /**
   * Tokens that got a tripwire guard before the `guarded` column existed: marked now (once, at the
   * first unlock after migration 7), each only if its row's MAC holds. How many.
   */
  adoptGuards(db: Database, tokenIds: readonly string[]): number {
    const select = db.prepare<[string], TokenRow>(`SELECT ${COLUMNS} FROM tokens WHERE id = ? AND guarded = 0`);
    let marked = 0;
    for (const id of tokenIds) {
      const row = select.get(id);
      const token = row === undefined ? undefined : this.#checked(row);
      if (token === undefined) continue;
      this.markGuarded(token);
      marked += 1;
    }
    return marked;
  }

  /** Gives rows written before migration 5 their MACs (the one-time step at the first unlock); how many. */
  sealUnsealed(db: Database): number {
    const rows = db.prepare<[], TokenRow>(`SELECT ${COLUMNS} FROM tokens WHERE mac IS NULL`).all();
    const put = db.prepare<[string, string]>('UPDATE tokens SET mac = ? WHERE id = ?');
    for (const row of rows) put.run(this.seal.sign('tokens', row.id, tokenFields(toStoredToken(row), row.enrollment_hash)), row.id);
    return rows.length;
  }

  /** The row as a token if its MAC holds; undefined (and reported) if not. */
  #checked(row: TokenRow): StoredToken | undefined {
    const token = toStoredToken(row);
    return this.seal.valid('tokens', row.id, tokenFields(token, row.enrollment_hash), row.mac) ? token : undefined;
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
    proxyOtherHosts: row.proxy_other_hosts === 'refuse' || row.proxy_other_hosts === 'tunnel' ? row.proxy_other_hosts : null,
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
    ...(row.guarded === 1 ? { guarded: true } : {}),
  };
}
