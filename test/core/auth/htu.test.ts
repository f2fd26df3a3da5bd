import { describe, expect, it } from 'vitest';
import { normalizeHtu } from '../../../src/core/auth/htu.js';

describe('normalizeHtu', () => {
  it.each([
    ['HTTP://LocalHost:80/v1/resolve', 'http://localhost/v1/resolve'],
    ['https://127.0.0.1:443/x', 'https://127.0.0.1/x'],
    ['http://127.0.0.1:8080/x', 'http://127.0.0.1:8080/x'],
    ['http://localhost', 'http://localhost/'],
    ['http://localhost/a/./b/../c', 'http://localhost/a/c'],
    ['http://localhost/a/%2E%2e/c', 'http://localhost/c'],
    ['http://localhost/%7euser/%41', 'http://localhost/~user/A'],
    ['http://localhost/a%2fb', 'http://localhost/a%2Fb'],
    ['http://localhost/x?access=1#frag', 'http://localhost/x'],
    ['http://[0:0:0:0:0:0:0:1]:7/x', 'http://[::1]:7/x'],
    ['http://localhost/a b', 'http://localhost/a%20b'],
  ])('%s → %s', (input, expected) => {
    expect(normalizeHtu(input)).toBe(expected);
  });

  it('keeps what distinguishes routes: path, port and scheme', () => {
    const base = normalizeHtu('http://127.0.0.1:7777/v1/resolve');
    expect(normalizeHtu('http://127.0.0.1:7777/v1/fetch')).not.toBe(base);
    expect(normalizeHtu('http://127.0.0.1:7778/v1/resolve')).not.toBe(base);
    expect(normalizeHtu('https://127.0.0.1:7777/v1/resolve')).not.toBe(base);
    expect(normalizeHtu('http://127.0.0.1:7777/v1/resolve/')).not.toBe(base);
  });

  it.each(['not a url', '/v1/resolve', 'ftp://localhost/x', 'file:///etc/passwd', 'http://user:pw@localhost/x'])('refuses %s', (input) => {
    expect(() => normalizeHtu(input)).toThrow(TypeError);
  });
});
