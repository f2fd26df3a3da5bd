/**
 * A sliding one-minute window of accepted requests per key (docs/security.md: "a rate limit on new
 * ones"). Bounded: when too many keys are remembered, the least recently seen is forgotten.
 */
const WINDOW_MS = 60_000;

export class RequestRate {
  readonly #perMinute: number;
  readonly #maxKeys: number;
  readonly #seen = new Map<string, number[]>();

  constructor(perMinute: number, maxKeys = 10_000) {
    if (!Number.isInteger(perMinute) || perMinute < 1) throw new RangeError('perMinute must be a whole number of at least 1');
    this.#perMinute = perMinute;
    this.#maxKeys = maxKeys;
  }

  /** True when one more request from `key` at `now` stays within the limit. */
  allows(key: string, now: number): boolean {
    return this.#recent(key, now).length < this.#perMinute;
  }

  record(key: string, now: number): void {
    const times = this.#recent(key, now);
    times.push(now);
    this.#seen.delete(key);
    this.#seen.set(key, times);
    if (this.#seen.size > this.#maxKeys) {
      const oldest = this.#seen.keys().next();
      if (oldest.done !== true) this.#seen.delete(oldest.value);
    }
  }

  #recent(key: string, now: number): number[] {
    const times = (this.#seen.get(key) ?? []).filter((t) => now - t < WINDOW_MS);
    if (times.length === 0) this.#seen.delete(key);
    else this.#seen.set(key, times);
    return times;
  }
}
