import { describe, expect, it } from 'vitest';
import { RefusalLimiter } from '../../../src/core/audit/refusal-limiter.js';

describe('RefusalLimiter', () => {
  it('logs up to perMinute refusals from one source, then counts the rest', () => {
    const limiter = new RefusalLimiter({ perMinute: 60 });
    const decisions = Array.from({ length: 100 }, () => limiter.shouldLog('agent-a', 1_000));
    expect(decisions.filter((d) => d.log)).toHaveLength(60);
    expect(decisions.at(-1)).toMatchObject({ log: false, suppressedSinceLast: 40 });
  });

  it('refills at perMinute per minute and reports what was left out', () => {
    const limiter = new RefusalLimiter({ perMinute: 60 });
    for (let i = 0; i < 70; i++) limiter.shouldLog('a', 0);
    expect(limiter.shouldLog('a', 500)).toMatchObject({ log: false, suppressedSinceLast: 11 });
    expect(limiter.shouldLog('a', 1_500)).toMatchObject({ log: true, suppressedSinceLast: 11 });
    expect(limiter.shouldLog('a', 1_600)).toMatchObject({ log: false, suppressedSinceLast: 1 });
    // A quiet hour refills to the burst size, not beyond.
    const later = Array.from({ length: 80 }, () => limiter.shouldLog('a', 3_600_000));
    expect(later.filter((d) => d.log)).toHaveLength(60);
  });

  it('keeps sources apart', () => {
    const limiter = new RefusalLimiter({ perMinute: 2 });
    expect([limiter.shouldLog('a', 0).log, limiter.shouldLog('a', 0).log, limiter.shouldLog('a', 0).log]).toEqual([true, true, false]);
    expect(limiter.shouldLog('b', 0).log).toBe(true);
  });

  it('caps the total across sources, so rotating source keys does not flood the log', () => {
    const limiter = new RefusalLimiter({ perMinute: 5, globalPerMinute: 50 });
    const logged = Array.from({ length: 1_000 }, (_, i) => limiter.shouldLog(`unverified:${i}`, 0)).filter((d) => d.log);
    expect(logged).toHaveLength(50);
    // Another class of sources has its own cap: a flood of made-up ones does not silence it.
    expect(limiter.shouldLog('token:abc', 0)).toMatchObject({ log: true });
    // What the cap left out is counted on the class's next written row.
    expect(limiter.shouldLog('unverified:late', 60_000)).toEqual({ log: true, suppressedSinceLast: 0, suppressedInClass: 950 });
  });

  it('remembers at most maxSources sources, forgetting the least recently seen', () => {
    const limiter = new RefusalLimiter({ perMinute: 1, globalPerMinute: 1e9, maxSources: 3 });
    limiter.shouldLog('a', 0);
    limiter.shouldLog('b', 0);
    limiter.shouldLog('c', 0);
    expect(limiter.shouldLog('a', 0).log).toBe(false); // a is now the most recent
    limiter.shouldLog('d', 0); // evicts b
    expect(limiter.size()).toBe(3);
    expect(limiter.shouldLog('a', 0).log).toBe(false);
    expect(limiter.shouldLog('b', 0).log).toBe(true);
  });

  it('stays bounded at the default 10,000 sources', () => {
    const limiter = new RefusalLimiter({ perMinute: 60, globalPerMinute: 1e9 });
    for (let i = 0; i < 25_000; i++) limiter.shouldLog(`k${i}`, 0);
    expect(limiter.size()).toBe(10_000);
  });

  it('refuses nonsense options', () => {
    expect(() => new RefusalLimiter({ perMinute: 0 })).toThrow(RangeError);
    expect(() => new RefusalLimiter({ perMinute: Number.NaN })).toThrow(RangeError);
    expect(() => new RefusalLimiter({ perMinute: 1, maxSources: -1 })).toThrow(RangeError);
  });
});
