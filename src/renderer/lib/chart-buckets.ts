/**
 * Counting audit rows into equal time buckets for the SVG charts: agents' accesses allowed
 * against refused, so a burst of refusals stands out next to normal use. The person's own actions
 * (and the engine's) are counted apart: they are not agents being allowed anything.
 */
import type { AuditOutcome, AuditRow } from '../../shared/model.js';

export interface Bucket {
  /** Inclusive, ms since the epoch. */
  readonly start: number;
  /** Exclusive. */
  readonly end: number;
  readonly allowed: number;
  readonly refused: number;
  /** Rows of the person or the engine itself: not stacked with the agents' bars. */
  readonly own: number;
}

export type ChartRow = Pick<AuditRow, 'ts' | 'outcome'> & Partial<Pick<AuditRow, 'actor'>>;

const REFUSED: readonly AuditOutcome[] = ['refused', 'error'];

/** `count` equal buckets over [since, until); rows outside the range are left out. */
export function bucketRows(rows: readonly ChartRow[], since: number, until: number, count: number): Bucket[] {
  if (!Number.isInteger(count) || count < 1) throw new RangeError('count must be a whole number of at least 1');
  if (!(until > since)) throw new RangeError('until must be after since');
  const width = (until - since) / count;
  const allowed = new Array<number>(count).fill(0);
  const refused = new Array<number>(count).fill(0);
  const own = new Array<number>(count).fill(0);
  for (const row of rows) {
    if (row.ts < since || row.ts >= until) continue;
    // min() guards the last bucket against floating-point rounding at its upper edge.
    const i = Math.min(count - 1, Math.floor((row.ts - since) / width));
    if (row.actor !== undefined && row.actor !== 'agent') own[i] = (own[i] ?? 0) + 1;
    else if (REFUSED.includes(row.outcome)) refused[i] = (refused[i] ?? 0) + 1;
    else allowed[i] = (allowed[i] ?? 0) + 1;
  }
  return allowed.map((a, i) => ({
    start: since + i * width,
    end: i === count - 1 ? until : since + (i + 1) * width,
    allowed: a,
    refused: refused[i] ?? 0,
    own: own[i] ?? 0,
  }));
}

/** A round axis maximum at or above the tallest bar: 1, 2, 5, 10, 20, 50, ... */
export function niceMax(value: number): number {
  if (value <= 1) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 5, 10]) {
    if (step * magnitude >= value) return step * magnitude;
  }
  return 10 * magnitude;
}

/** The tallest bar (allowed + refused stacked). */
export function tallest(buckets: readonly Bucket[]): number {
  return buckets.reduce((max, b) => Math.max(max, b.allowed + b.refused), 0);
}
