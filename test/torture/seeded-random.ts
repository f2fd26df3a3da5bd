/**
 * A small seeded PRNG (mulberry32) so a torture run that finds something can be replayed exactly:
 * the seed is printed, and TORTURE_SEED sets it.
 */
export interface Random {
  readonly seed: number;
  /** [0, 1) */
  next(): number;
  /** An integer in [0, n). */
  int(n: number): number;
  pick<T>(items: readonly T[]): T;
  chance(p: number): boolean;
  bytes(n: number): Buffer;
}

export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number): number => Math.floor(next() * n);
  return {
    seed,
    next,
    int,
    pick: <T>(items: readonly T[]): T => {
      if (items.length === 0) throw new RangeError('pick from an empty list');
      return items[int(items.length)] as T;
    },
    chance: (p) => next() < p,
    bytes: (n) => Buffer.from(Array.from({ length: n }, () => int(256))),
  };
}

/** TORTURE_SEED if set (decimal), else a fixed default so CI runs are reproducible. */
export function tortureSeed(fallback = 20_261_122): number {
  const raw = process.env.TORTURE_SEED;
  const n = raw === undefined ? Number.NaN : Number.parseInt(raw, 10);
  return Number.isSafeInteger(n) ? n : fallback;
}
