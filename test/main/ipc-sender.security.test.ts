import { describe, expect, it } from 'vitest';
import { fileAppOrigin } from '../../src/main/app-origin.js';
import { isTrustedSender } from '../../src/main/ipc-sender.js';

const ORIGIN = fileAppOrigin('file:///home/me/valetkey/out/renderer/');
const PAGE = 'file:///home/me/valetkey/out/renderer/index.html';

describe('isTrustedSender', () => {
  it('trusts the top frame of our own page', () => {
    expect(isTrustedSender(PAGE, true, ORIGIN)).toBe(true);
    expect(isTrustedSender('http://localhost:5173/', true, 'http://localhost:5173')).toBe(true);
  });

  it('refuses a subframe, even one showing our own page', () => {
    expect(isTrustedSender(PAGE, false, ORIGIN)).toBe(false);
  });

  it.each([
    ['a foreign web origin', 'https://evil.example/'],
    ['another local file', 'file:///home/me/Downloads/evil.html'],
    ['a look-alike folder', 'file:///home/me/valetkey/out/renderer2/index.html'],
    ['about:blank', 'about:blank'],
    ['an empty URL (destroyed frame)', ''],
  ])('refuses %s', (_name, url) => {
    expect(isTrustedSender(url, true, ORIGIN)).toBe(false);
  });

  it('refuses another port on the dev host', () => {
    expect(isTrustedSender('http://localhost:8080/', true, 'http://localhost:5173')).toBe(false);
  });
});
