import { describe, expect, it } from 'vitest';
import { generatePassword, PASSWORD_ALPHABET } from '../../src/renderer/lib/password-generator.js';

describe('generatePassword', () => {
  it('draws the asked length from the alphabet, differently each time', () => {
    const a = generatePassword(32);
    const b = generatePassword(32);
    expect(a).toHaveLength(32);
    expect([...a].every((c) => PASSWORD_ALPHABET.includes(c))).toBe(true);
    expect(a).not.toBe(b);
  });

  it('skips bytes that would bias the modulo', () => {
    // Alphabet of 3: bytes 255 (>= 255 = 256 - 256 % 3) must be thrown away.
    let call = 0;
    const fill = (bytes: Uint8Array) => {
      bytes.fill(call++ === 0 ? 255 : 4);
    };
    expect(generatePassword(8, fill, 'abc')).toBe('bbbbbbbb');
  });

  it('spreads characters evenly enough', () => {
    const counts = new Map<string, number>();
    for (let i = 0; i < 200; i += 1) for (const c of generatePassword(64, undefined, 'ab')) counts.set(c, (counts.get(c) ?? 0) + 1);
    const a = counts.get('a') ?? 0;
    expect(a / 12_800).toBeGreaterThan(0.45);
    expect(a / 12_800).toBeLessThan(0.55);
  });

  it('refuses lengths too short to be safe', () => {
    expect(() => generatePassword(4)).toThrow(RangeError);
  });
});
