/**
 * "Granting is for people" (docs/security.md). A grant needs a click in the app's own window (the IPC
 * transport sets `personPresent` after checking the sender), the admin passphrase, or a grant
 * session opened with it. Sessions last at most 15 minutes and live only in this process's
 * memory; the engine keeps only a hash of each session id. Failed passphrases are limited per
 * caller (passphrase-limiter.ts): a process holding the admin socket can neither guess at speed
 * nor lock the person out of their own window or a fresh dashboard tab.
 */
import { createHash, randomBytes } from 'node:crypto';
import { isVkError, VkError } from '../../shared/errors.js';
import { callerOf, type CallContext } from '../../shared/admin-api.js';
import { PassphraseLimiter } from './passphrase-limiter.js';
import { MAX_GRANT_SESSION_MINUTES } from '../../shared/admin-schemas/limits.js';
import { isJsonObject } from '../../shared/json-object.js';


export interface GrantGuardDeps {
  /** Checks a candidate admin passphrase against the stored verifier. */
  readonly verifyPassphrase: (candidate: string) => boolean;
  readonly clock: () => number;
}

export class GrantGuard {
  private readonly sessions = new Map<string, number>();
  private readonly limiter = new PassphraseLimiter();

  constructor(private readonly deps: GrantGuardDeps) {}

  /**
   * Throws grant_required, passphrase_invalid or rate_limited unless a person is shown to be there.
   * The proof is checked here as it arrived (before the params' schema runs), so it is `unknown`.
   */
  require(proof: unknown, ctx: CallContext): void {
    if (ctx.personPresent) return;
    if (!isJsonObject(proof)) throw new VkError('grant_required');
    if ('session' in proof && typeof proof.session === 'string') {
      if (!this.sessionValid(proof.session)) throw new VkError('grant_required', 'the grant session is unknown or has ended');
      return;
    }
    if ('passphrase' in proof && typeof proof.passphrase === 'string') {
      this.checkPassphrase(proof.passphrase, callerOf(ctx));
      return;
    }
    throw new VkError('grant_required');
  }

  /** Verifies the passphrase, counting failures against `caller` (see callerOf). */
  checkPassphrase(candidate: string, caller: string): void {
    const now = this.deps.clock();
    this.limiter.check(caller, now);
    if (!this.deps.verifyPassphrase(candidate)) {
      this.limiter.failed(caller, now);
      throw new VkError('passphrase_invalid');
    }
    this.limiter.succeeded(caller);
  }

  /**
   * Runs a passphrase check done elsewhere (the key file's unseal) under the same per-caller
   * limit: its passphrase_invalid counts as a failure, so unlocking is no faster way to guess.
   */
  async limited<T>(caller: string, attempt: () => Promise<T>): Promise<T> {
    const now = this.deps.clock();
    this.limiter.check(caller, now);
    try {
      const result = await attempt();
      this.limiter.succeeded(caller);
      return result;
    } catch (e) {
      if (isVkError(e) && e.code === 'passphrase_invalid') this.limiter.failed(caller, this.deps.clock());
      throw e;
    }
  }

  openSession(passphrase: string, minutes: number, caller: string): { session: string; expiresAt: string } {
    if (!Number.isFinite(minutes) || minutes <= 0 || minutes > MAX_GRANT_SESSION_MINUTES) {
      throw new VkError('invalid_request', `minutes must be between 1 and ${MAX_GRANT_SESSION_MINUTES}`);
    }
    this.checkPassphrase(passphrase, caller);
    const session = randomBytes(32).toString('base64url');
    const expiresAt = this.deps.clock() + minutes * 60_000;
    this.sessions.set(hashId(session), expiresAt);
    return { session, expiresAt: new Date(expiresAt).toISOString() };
  }

  closeSession(session: string): boolean {
    return this.sessions.delete(hashId(session));
  }

  /** Locking ends every grant session: whoever comes back must show the passphrase again. */
  closeAll(): void {
    this.sessions.clear();
  }

  sessionExpiry(session: string): number | undefined {
    return this.sessionValid(session) ? this.sessions.get(hashId(session)) : undefined;
  }

  private sessionValid(session: string): boolean {
    const key = hashId(session);
    const expiresAt = this.sessions.get(key);
    if (expiresAt === undefined) return false;
    if (expiresAt <= this.deps.clock()) {
      this.sessions.delete(key);
      return false;
    }
    return true;
  }
}

function hashId(id: string): string {
  return createHash('sha256').update(id).digest('hex');
}
