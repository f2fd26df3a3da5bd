import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DpopNonces, NONCE_STEP_MS } from '../../../src/core/auth/dpop-nonce.js';

function clockAt(start: number): { now: () => number; set: (ms: number) => void } {
  let t = start;
  return { now: () => t, set: (ms) => (t = ms) };
}

describe('DpopNonces', () => {
  const secret = randomBytes(32);

  it('accepts the current and the previous step, not older or future ones', () => {
    const clock = clockAt(10 * NONCE_STEP_MS + 5);
    const nonces = new DpopNonces(secret, clock.now);
    const n = nonces.current();
    expect(n).toMatch(/^[A-Za-z0-9_-]{22,}$/);
    expect(nonces.check(n)).toBe(true);
    clock.set(11 * NONCE_STEP_MS + 59_999);
    expect(nonces.check(n)).toBe(true);
    expect(nonces.current()).not.toBe(n);
    clock.set(12 * NONCE_STEP_MS);
    expect(nonces.check(n)).toBe(false);
    clock.set(9 * NONCE_STEP_MS);
    expect(nonces.check(n)).toBe(false);
  });

  it('is keyed: another secret neither makes nor accepts our nonces', () => {
    const clock = clockAt(Date.now());
    const ours = new DpopNonces(secret, clock.now);
    const theirs = new DpopNonces(randomBytes(32), clock.now);
    expect(theirs.current()).not.toBe(ours.current());
    expect(ours.check(theirs.current())).toBe(false);
  });

  it('refuses junk of any length', () => {
    const nonces = new DpopNonces(secret);
    for (const junk of ['', 'x', nonces.current().slice(1), `${nonces.current()}x`]) expect(nonces.check(junk)).toBe(false);
  });

  it('does not depend on the caller keeping the secret array intact', () => {
    const mine = Uint8Array.from(secret);
    const nonces = new DpopNonces(mine);
    const before = nonces.current();
    mine.fill(0);
    expect(nonces.current()).toBe(before);
  });

  it('refuses a short secret', () => {
    expect(() => new DpopNonces(new Uint8Array(16))).toThrow(RangeError);
  });
});
