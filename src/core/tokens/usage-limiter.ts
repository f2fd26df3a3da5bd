/**
 * Requests-per-minute limits, kept in memory: a sliding window of the last minute's request
 * times per token. Losing it on restart only forgets at most one minute of history.
 */
const WINDOW_MS = 60_000;

export class UsageLimiter {
  /** token id → request times (ms), oldest first. */
  readonly #windows = new Map<string, number[]>();

  /** Whether one more request now stays within `limit` per minute. Records nothing. */
  allows(tokenId: string, limit: number, now: number): boolean {
    return this.#recent(tokenId, now).length < limit;
  }

  record(tokenId: string, now: number): void {
    const times = this.#recent(tokenId, now);
    times.push(now);
    this.#windows.set(tokenId, times);
  }

  forget(tokenId: string): void {
    this.#windows.delete(tokenId);
  }

  #recent(tokenId: string, now: number): number[] {
    const times = this.#windows.get(tokenId);
    if (times === undefined) return [];
    const firstLive = times.findIndex((t) => t > now - WINDOW_MS);
    if (firstLive === -1) times.length = 0;
    else if (firstLive > 0) times.splice(0, firstLive);
    return times;
  }
}
