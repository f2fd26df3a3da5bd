import { describe, expect, it } from 'vitest';
import { fileAppOrigin, isAppUrl } from '../../src/main/app-origin.js';
import { EXTERNAL_LINK_ALLOWLIST, externalLinkDecision, isAllowedNavigation, newWindowDecision } from '../../src/main/navigation-policy.js';

const FILE_ORIGIN = fileAppOrigin('file:///opt/Valetkey/resources/app.asar/out/renderer');
const DEV_ORIGIN = 'http://localhost:5173';

describe('isAllowedNavigation (file: renderer)', () => {
  it('allows our own pages, with query and hash', () => {
    expect(isAllowedNavigation('file:///opt/Valetkey/resources/app.asar/out/renderer/index.html', FILE_ORIGIN)).toBe(true);
    expect(isAllowedNavigation('file:///opt/Valetkey/resources/app.asar/out/renderer/index.html?x=1#/tokens', FILE_ORIGIN)).toBe(true);
  });

  it.each([
    ['another local file', 'file:///etc/passwd'],
    ['a sibling folder sharing the prefix', 'file:///opt/Valetkey/resources/app.asar/out/renderer-evil/index.html'],
    ['a dot-dot escape', 'file:///opt/Valetkey/resources/app.asar/out/renderer/../main/index.js'],
    ['an encoded dot-dot escape', 'file:///opt/Valetkey/resources/app.asar/out/renderer/%2e%2e/main/index.js'],
    ['an encoded slash', 'file:///opt/Valetkey/resources/app.asar/out/renderer/..%2f..%2fsecret'],
    ['a UNC host', 'file://evil.example/opt/Valetkey/resources/app.asar/out/renderer/index.html'],
    ['a web page', 'https://evil.example/'],
    ['javascript:', 'javascript:alert(1)'],
    ['data:', 'data:text/html,<script>1</script>'],
    ['garbage', 'not a url'],
  ])('refuses %s', (_name, url) => {
    expect(isAllowedNavigation(url, FILE_ORIGIN)).toBe(false);
  });
});

describe('isAllowedNavigation (dev server)', () => {
  it('allows the dev server origin only', () => {
    expect(isAllowedNavigation('http://localhost:5173/index.html', DEV_ORIGIN)).toBe(true);
    expect(isAllowedNavigation('http://localhost:5174/', DEV_ORIGIN)).toBe(false);
    expect(isAllowedNavigation('https://localhost:5173/', DEV_ORIGIN)).toBe(false);
    expect(isAllowedNavigation('http://127.0.0.1:5173/', DEV_ORIGIN)).toBe(false);
  });

  it('never treats the opaque "null" origin as ours', () => {
    expect(isAppUrl('file:///etc/passwd', 'null')).toBe(false);
    expect(isAppUrl('about:blank', 'about:blank')).toBe(false);
  });
});

describe('externalLinkDecision', () => {
  it('opens https links to allowlisted hosts', () => {
    expect(externalLinkDecision('https://github.com/valetkey/valetkey/issues', EXTERNAL_LINK_ALLOWLIST)).toBe('open-external');
    expect(externalLinkDecision('https://GitHub.com/', EXTERNAL_LINK_ALLOWLIST)).toBe('open-external');
  });

  it.each([
    ['plain http', 'http://github.com/'],
    ['a host not on the list', 'https://evil.example/'],
    ['a subdomain of an allowed host', 'https://evil.github.com/'],
    ['an allowed name as a suffix', 'https://github.com.evil.example/'],
    ['credentials in the URL', 'https://user:pw@github.com/'],
    ['file:', 'file:///bin/sh'],
    ['a custom scheme handler', 'ms-msdt:/id PCWDiagnostic'],
    ['javascript:', 'javascript:alert(1)'],
    ['garbage', '::::'],
  ])('denies %s', (_name, url) => {
    expect(externalLinkDecision(url, EXTERNAL_LINK_ALLOWLIST)).toBe('deny');
  });
});

describe('newWindowDecision', () => {
  it('never opens a window, and opens allowlisted links outside', () => {
    expect(newWindowDecision('https://github.com/', EXTERNAL_LINK_ALLOWLIST)).toEqual({ action: 'deny', openExternally: true });
    expect(newWindowDecision('https://evil.example/', EXTERNAL_LINK_ALLOWLIST)).toEqual({ action: 'deny', openExternally: false });
    expect(newWindowDecision('file:///opt/Valetkey/resources/app.asar/out/renderer/index.html', EXTERNAL_LINK_ALLOWLIST)).toEqual({
      action: 'deny',
      openExternally: false,
    });
  });
});
