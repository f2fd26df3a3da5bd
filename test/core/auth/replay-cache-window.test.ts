/**
 * Replay entries live only as long as their proof could be accepted (iat + 60 s), never longer
 * than the TTL, never for less than a second; so a steady stream of honest proofs needs about
 * half the room the fixed 120 s TTL needed.
 */
import { describe, expect, it } from 'vitest';
import { ReplayCache } from '../../../src/core/auth/replay-cache.js';

const NOW = 1_750_000_000;

describe('ReplayCache expiry from the proof', () => {
  it('keeps an entry until the given expiry, then forgets it', () => {
    const cache = new ReplayCache({ ttlSeconds: 120 });
    expect(cache.record('k', 'j', NOW, NOW + 61)).toBe('fresh');
    expect(cache.record('k', 'j', NOW + 60, NOW + 121)).toBe('replayed');
    expect(cache.record('k', 'j', NOW + 61, NOW + 122)).toBe('fresh');
  });

  it('never keeps an entry past the TTL, nor for less than a second', () => {
    const cache = new ReplayCache({ ttlSeconds: 10 });
    cache.record('k', 'long', NOW, NOW + 1000);
    expect(cache.record('k', 'long', NOW + 9)).toBe('replayed');
    expect(cache.record('k', 'long', NOW + 10)).toBe('fresh');
    cache.record('k', 'past', NOW, NOW - 5);
    expect(cache.record('k', 'past', NOW)).toBe('replayed');
  });

  it('a stream of 1,000 proofs a second fits in 70,000 entries when they expire with their proofs', () => {
    const cache = new ReplayCache({ ttlSeconds: 120, maxEntries: 70_000 });
    let full = 0;
    for (let s = 0; s < 150; s++) {
      for (let i = 0; i < 1000; i++) if (cache.record('k', `jti-${s}-${i}-padding-123`, NOW + s, NOW + s + 61) === 'full') full++;
    }
    expect(full).toBe(0);
    const fixed = new ReplayCache({ ttlSeconds: 120, maxEntries: 70_000 });
    let refused = 0;
    for (let s = 0; s < 150; s++) {
      for (let i = 0; i < 1000; i++) if (fixed.record('k', `jti-${s}-${i}-padding-123`, NOW + s) === 'full') refused++;
    }
    expect(refused).toBeGreaterThan(0);
  });
});
