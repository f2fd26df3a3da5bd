/**
 * Failed admin passphrases, limited per caller so nobody can lock the person out: each caller
 * (the CLI's admin session, one dashboard tab, the desktop window) has its own count; past a few
 * failures it must wait 30 s, doubling each time up to 15 minutes. A ceiling across callers bounds the
 * guessing speed of someone who keeps opening new callers; the app's own window is exempt from
 * it, so the person at the desktop can always unlock. A success clears the caller's count.
 */
import { VkError } from '../../shared/errors.js';

/** Failures a caller may make before its first wait. */
const FREE_FAILURES = 5;
const FIRST_WAIT_MS = 30_000;
const MAX_WAIT_MS = 15 * 60_000;
/** A caller quiet this long starts afresh. */
const FORGET_AFTER_MS = 60 * 60_000;
/** Failures per minute across every caller but the window. */
const CEILING_PER_MINUTE = 30;
const MAX_CALLERS = 1024;
/** The desktop window's caller id (CallContext via 'ipc'): a person is there. */
export const WINDOW_CALLER = 'ipc';

interface Caller {
  failures: number;
  lastFailure: number;
  blockedUntil: number;
}

export class PassphraseLimiter {
  private readonly callers = new Map<string, Caller>();
  private recent: number[] = [];

  /** Throws rate_limited while this caller must wait (or the ceiling is reached); before any passphrase work. */
  check(caller: string, now: number): void {
    const c = this.current(caller, now);
    if (c !== undefined && c.blockedUntil > now) throw new VkError('rate_limited', 'too many wrong passphrases from here: wait, or use another session or the desktop app');
    if (caller === WINDOW_CALLER) return;
    this.recent = this.recent.filter((t) => now - t < 60_000);
    if (this.recent.length >= CEILING_PER_MINUTE) throw new VkError('rate_limited', 'too many wrong passphrases: wait a minute');
  }

  failed(caller: string, now: number): void {
    const c = this.current(caller, now) ?? { failures: 0, lastFailure: now, blockedUntil: 0 };
    c.failures += 1;
    c.lastFailure = now;
    if (c.failures >= FREE_FAILURES) c.blockedUntil = now + Math.min(MAX_WAIT_MS, FIRST_WAIT_MS * 2 ** (c.failures - FREE_FAILURES));
    this.callers.delete(caller);
    this.callers.set(caller, c);
    if (this.callers.size > MAX_CALLERS) {
      const oldest = this.callers.keys().next();
      if (oldest.done !== true) this.callers.delete(oldest.value);
    }
    if (caller !== WINDOW_CALLER) this.recent.push(now);
  }

  succeeded(caller: string): void {
    this.callers.delete(caller);
  }

  private current(caller: string, now: number): Caller | undefined {
    const c = this.callers.get(caller);
    if (c !== undefined && now - c.lastFailure >= FORGET_AFTER_MS) {
      this.callers.delete(caller);
      return undefined;
    }
    return c;
  }
}
