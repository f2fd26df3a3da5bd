import { describe, expect, it } from 'vitest';
import { bucketRows, niceMax, tallest, type ChartRow } from '../../src/renderer/lib/chart-buckets.js';

const row = (ts: number, outcome: ChartRow['outcome'] = 'allowed'): ChartRow => ({ ts, outcome });

describe('bucketRows', () => {
  it('counts each row once, in the bucket its time falls in, allowed apart from refused', () => {
    const rows = [row(0), row(9), row(10, 'refused'), row(25, 'ok'), row(39, 'error'), row(39.999)];
    const buckets = bucketRows(rows, 0, 40, 4);
    expect(buckets.map((b) => [b.start, b.end, b.allowed, b.refused])).toEqual([
      [0, 10, 2, 0],
      [10, 20, 0, 1],
      [20, 30, 1, 0],
      [30, 40, 1, 1],
    ]);
  });

  it('leaves out rows before since and at or after until', () => {
    const buckets = bucketRows([row(-1), row(100), row(150)], 0, 100, 2);
    expect(buckets.reduce((n, b) => n + b.allowed + b.refused, 0)).toBe(0);
  });

  it('covers the whole range exactly even when it does not divide evenly', () => {
    const buckets = bucketRows([row(99.9999)], 0, 100, 3);
    expect(buckets[0]?.start).toBe(0);
    expect(buckets[2]?.end).toBe(100);
    expect(buckets[2]?.allowed).toBe(1);
  });

  it('refuses a bucket count below 1 or an empty range', () => {
    expect(() => bucketRows([], 0, 10, 0)).toThrow(RangeError);
    expect(() => bucketRows([], 10, 10, 3)).toThrow(RangeError);
  });
});

describe('niceMax and tallest', () => {
  it('rounds the axis up to 1, 2 or 5 times a power of ten', () => {
    expect([0, 1, 2, 3, 7, 10, 11, 42, 101, 999].map(niceMax)).toEqual([1, 1, 2, 5, 10, 10, 20, 50, 200, 1000]);
  });

  it('measures bars stacked', () => {
    expect(tallest(bucketRows([row(1), row(2, 'refused'), row(15)], 0, 20, 2))).toBe(2);
  });
});

describe('agents and the person apart', () => {
  it('counts the person’s and the engine’s own rows apart from agents’ accesses', () => {
    const rows: ChartRow[] = [
      { ts: 10, outcome: 'allowed', actor: 'agent' },
      { ts: 20, outcome: 'refused', actor: 'agent' },
      { ts: 30, outcome: 'ok', actor: 'person' },
      { ts: 40, outcome: 'ok', actor: 'engine' },
    ];
    expect(bucketRows(rows, 0, 100, 1)).toEqual([{ start: 0, end: 100, allowed: 1, refused: 1, own: 2 }]);
  });
});
