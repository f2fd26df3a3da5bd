import { describe, expect, it } from 'vitest';
import { findEnvReferences, parseEnv } from '../../../src/cli/agent/env-file.js';
import { parseLifespan } from '../../../src/cli/agent/lifespan.js';

describe('env files', () => {
  it('reads NAME=value lines with export, quotes, escapes and comments', () => {
    const env = parseEnv(['# comment', '', 'export A=vk://V/E/password', "B='literal $x # not a comment'", 'C="two\\nlines"', 'D=bare # trailing', '  E = spaced  '].join('\n'));
    expect(env).toEqual({ A: 'vk://V/E/password', B: 'literal $x # not a comment', C: 'two\nlines', D: 'bare', E: 'spaced' });
    expect(() => parseEnv('not a line')).toThrow(/line 1/);
  });

  it('finds variables whose whole value is a vk:// reference', () => {
    expect(findEnvReferences({ A: 'vk://V/E/password', B: ' vk://V/E/password ', C: 'prefix vk://V/E/x', D: undefined })).toEqual({ names: ['A', 'B'], refs: ['vk://V/E/password'] });
  });
});

describe('parseLifespan', () => {
  it('takes presets, seconds and units, within 5 minutes to 1 year', () => {
    expect(parseLifespan('1h')).toBe(3600);
    expect(parseLifespan('30d')).toBe(30 * 86_400);
    expect(parseLifespan('900')).toBe(900);
    expect(parseLifespan('90m')).toBe(5400);
    expect(() => parseLifespan('1m')).toThrow();
    expect(() => parseLifespan('2y')).toThrow();
    expect(() => parseLifespan('soon')).toThrow();
  });
});
