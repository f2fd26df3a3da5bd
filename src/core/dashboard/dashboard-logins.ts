/**
 * Who may use the headless dashboard: one-time login codes (printed by the daemon, or minted by
 * `valetkey dashboard-url`) and the browser tab sessions they turn into. Codes are 256 random
 * bits, single use, 10 minutes; sessions are 256 random bits, held by one tab, end after 12 hours
 * without a request. A grant session opened from a tab stays here, bound to that tab's session:
 * the browser never holds it. Only SHA-256 digests of codes and sessions are kept, in memory: a
 * restart logs every browser out.
 */
import { createHash, randomBytes } from 'node:crypto';
import { VkError } from '../../shared/errors.js';

export const LOGIN_CODE_TTL_MS = 10 * 60_000;
export const SESSION_IDLE_MS = 12 * 3600_000;
/** Enough for a few browsers; the oldest is dropped beyond this, so nobody can fill memory. */
const MAX_CODES = 16;
const MAX_SESSIONS = 32;

export interface LoginUrl {
  readonly url: string;
  readonly expiresAt: string;
}

export class DashboardLogins {
  /** digest → expiry (ms) */
  private readonly codes = new Map<string, number>();
  /** digest → last use (ms) */
  private readonly sessions = new Map<string, number>();
  /** session digest → the engine grant session opened from that tab */
  private readonly grants = new Map<string, string>();
  private origin: string | undefined;

  constructor(private readonly clock: () => number = Date.now) {}

  /** The dashboard server calls this once it listens; login URLs point there. */
  serve(origin: string): void {
    this.origin = origin;
  }

  /** The server stopped: no more login URLs, and every code and session is forgotten. */
  stopServing(): void {
    this.origin = undefined;
    this.codes.clear();
    this.sessions.clear();
    this.grants.clear();
  }

  get serving(): boolean {
    return this.origin !== undefined;
  }

  /** A fresh one-time login URL. Throws dashboard_unavailable when no dashboard is being served. */
  newLoginUrl(): LoginUrl {
    if (this.origin === undefined) throw new VkError('dashboard_unavailable');
    this.prune();
    const code = randomBytes(32).toString('base64url');
    const expiresAt = this.clock() + LOGIN_CODE_TTL_MS;
    addBounded(this.codes, digest(code), expiresAt, MAX_CODES);
    return { url: `${this.origin}/login?code=${code}`, expiresAt: new Date(expiresAt).toISOString() };
  }

  /** Spend a login code: a new session id if the code was valid and unused, else undefined. */
  redeem(code: string): string | undefined {
    const key = digest(code);
    const expiresAt = this.codes.get(key);
    // Deleted before the expiry check: a code is spent by any attempt to use it once found.
    this.codes.delete(key);
    if (expiresAt === undefined || expiresAt <= this.clock()) return undefined;
    const session = randomBytes(32).toString('base64url');
    addBounded(this.sessions, digest(session), this.clock(), MAX_SESSIONS);
    return session;
  }

  /** True for a live session, whose idle clock restarts now. */
  touch(session: string): boolean {
    const key = digest(session);
    const lastUse = this.sessions.get(key);
    if (lastUse === undefined) return false;
    const now = this.clock();
    if (now - lastUse >= SESSION_IDLE_MS) {
      this.sessions.delete(key);
      this.grants.delete(key);
      return false;
    }
    // Re-inserted so the Map's order is least recently used first, for addBounded.
    this.sessions.delete(key);
    this.sessions.set(key, now);
    return true;
  }

  endSession(session: string): boolean {
    this.grants.delete(digest(session));
    return this.sessions.delete(digest(session));
  }

  /** Binds a grant session to the tab's session; returns the one it replaces, for closing. */
  bindGrant(session: string, grant: string): string | undefined {
    const key = digest(session);
    const before = this.grants.get(key);
    if (this.sessions.has(key)) this.grants.set(key, grant);
    return before;
  }

  grantOf(session: string): string | undefined {
    return this.grants.get(digest(session));
  }

  /** Unbinds and returns the tab's grant session, for closing. */
  takeGrant(session: string): string | undefined {
    const key = digest(session);
    const grant = this.grants.get(key);
    this.grants.delete(key);
    return grant;
  }

  private prune(): void {
    const now = this.clock();
    for (const [key, expiresAt] of this.codes) if (expiresAt <= now) this.codes.delete(key);
  }
}

/** Lookups are by digest, so the time a Map lookup takes says nothing about the secret itself. */
function digest(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** Maps iterate in insertion order, so the first key is the oldest. */
function addBounded(map: Map<string, number>, key: string, value: number, max: number): void {
  map.set(key, value);
  while (map.size > max) {
    const oldest = map.keys().next().value;
    if (oldest === undefined) break;
    map.delete(oldest);
  }
}
