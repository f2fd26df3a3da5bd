import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../../src/core/audit/canonical-json.js';

describe('canonicalJson', () => {
  it('sorts keys at every depth and writes no whitespace', () => {
    const value = { b: 1, a: { d: [3, { z: true, y: null }], c: 'x' } };
    expect(canonicalJson(value)).toBe('{"a":{"c":"x","d":[3,{"y":null,"z":true}]},"b":1}');
  });

  it('gives the same string whatever order the keys were inserted in', () => {
    const one = { x: 1, y: { p: 'q', r: [1, 2] } };
    const two = { y: { r: [1, 2], p: 'q' }, x: 1 };
    expect(canonicalJson(one)).toBe(canonicalJson(two));
  });

  it('sorts keys by UTF-16 code units, like RFC 8785', () => {
    expect(canonicalJson({ b: 0, B: 0, é: 0, a: 0, '10': 0, '9': 0 })).toBe('{"10":0,"9":0,"B":0,"a":0,"b":0,"é":0}');
  });

  it('writes strings and numbers as JSON.stringify does', () => {
    const s = 'quote " backslash \\ newline \n tab \t unicode ☃ control \u0001';
    expect(canonicalJson(s)).toBe(JSON.stringify(s));
    for (const n of [0, -0, 1.5, 1e21, 1e-7, -123456789, 2 ** 53]) expect(canonicalJson(n)).toBe(JSON.stringify(n));
  });

  it('leaves out undefined object properties, as JSON does', () => {
    expect(canonicalJson({ a: undefined, b: 2 })).toBe('{"b":2}');
  });

  it('refuses non-finite numbers, undefined in arrays, bigint, functions and symbols', () => {
    expect(() => canonicalJson(Number.NaN)).toThrow(TypeError);
    expect(() => canonicalJson({ n: Number.POSITIVE_INFINITY })).toThrow(TypeError);
    expect(() => canonicalJson([1, undefined])).toThrow(TypeError);
    expect(() => canonicalJson(undefined)).toThrow(TypeError);
    expect(() => canonicalJson(10n)).toThrow(TypeError);
    expect(() => canonicalJson({ f: () => 1 })).toThrow(TypeError);
    expect(() => canonicalJson(Symbol('s'))).toThrow(TypeError);
  });

  it('refuses non-plain objects and cycles', () => {
    expect(() => canonicalJson(new Date(0))).toThrow(TypeError);
    expect(() => canonicalJson(new Uint8Array(2))).toThrow(TypeError);
    expect(() => canonicalJson(new Map())).toThrow(TypeError);
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => canonicalJson(cyclic)).toThrow(/cycle/);
  });

  it('accepts the same object twice when it is not a cycle', () => {
    const shared = { k: 1 };
    expect(canonicalJson({ a: shared, b: [shared] })).toBe('{"a":{"k":1},"b":[{"k":1}]}');
  });

  it('accepts objects without a prototype', () => {
    const bare = Object.create(null) as Record<string, unknown>;
    bare.z = 1;
    bare.a = 2;
    expect(canonicalJson(bare)).toBe('{"a":2,"z":1}');
  });

  it('round-trips: parsing the output and encoding again gives the same string', () => {
    const value = { n: 0.1 + 0.2, s: '\ud83d\ude00', list: [{ b: 1, a: 2 }], nested: { deep: { deeper: [] } } };
    const once = canonicalJson(value);
    expect(canonicalJson(JSON.parse(once))).toBe(once);
  });

  it('does not put the refused value in the error message', () => {
    expect(() => canonicalJson({ secret: [undefined] })).toThrow(/^canonicalJson: arrays cannot hold undefined$/);
  });
});
