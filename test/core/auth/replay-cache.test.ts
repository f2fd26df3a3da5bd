import { describe, expect, it } from 'vitest';
import { ReplayCache } from '../../../src/core/auth/replay-cache.js';

const NOW = 1_750_000_000;

describe('ReplayCache', () => {
  it('refuses a repeat within the TTL and forgets it after', () => {
    const cache = new ReplayCache({ ttlSeconds: 120 });
    expect(cache.record('jkt', 'jti-1', NOW)).toBe('fresh');
    expect(cache.record('jkt', 'jti-1', NOW + 119)).toBe('replayed');
    expect(cache.record('jkt', 'jti-1', NOW + 120)).toBe('fresh');
  });

  it('keys on the pair: the same jti from another key is not a replay', () => {
    const cache = new ReplayCache();
    expect(cache.seen('key-a', 'same-jti', NOW)).toBe(false);
    expect(cache.seen('key-b', 'same-jti', NOW)).toBe(false);
    expect(cache.seen('key-a', 'same-jti', NOW)).toBe(true);
  });

  it('evicts expired entries to make room', () => {
    const cache = new ReplayCache({ ttlSeconds: 10, maxEntries: 2 });
    cache.record('k', 'a', NOW);
    cache.record('k', 'b', NOW + 5);
    expect(cache.record('k', 'c', NOW + 10)).toBe('fresh'); // a expired
    expect(cache.size).toBe(2);
    expect(cache.record('k', 'b', NOW + 11)).toBe('replayed');
  });

  it('when full of live entries, refuses new proofs instead of forgetting recent ones', () => {
    const cache = new ReplayCache({ ttlSeconds: 120, maxEntries: 2 });
    cache.record('k', 'a', NOW);
    cache.record('k', 'b', NOW);
    expect(cache.record('k', 'c', NOW + 1)).toBe('full');
    expect(cache.record('k', 'a', NOW + 1)).toBe('replayed');
    expect(() => cache.seen('k', 'd', NOW + 1)).toThrow(expect.objectContaining({ code: 'rate_limited' }));
    expect(cache.record('k', 'c', NOW + 120)).toBe('fresh');
  });
});
