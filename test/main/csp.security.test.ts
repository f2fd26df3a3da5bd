import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY, CSP_DIRECTIVES, withCsp } from '../../src/main/csp.js';

const indexHtml = readFileSync(new URL('../../src/renderer/index.html', import.meta.url), 'utf8');

describe('content security policy', () => {
  it("allows nothing 'unsafe-*', no wildcards and no remote hosts", () => {
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-/);
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/\*/);
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/https?:/);
  });

  it('has the directives that close the usual doors', () => {
    expect(CSP_DIRECTIVES).toMatchObject({
      'default-src': "'self'",
      'script-src': "'self'",
      'object-src': "'none'",
      'base-uri': "'none'",
      'frame-ancestors': "'none'",
      'form-action': "'none'",
    });
  });

  it('is the same string in index.html', () => {
    const meta = /<meta http-equiv="Content-Security-Policy" content="([^"]*)"/.exec(indexHtml);
    expect(meta?.[1]).toBe(CONTENT_SECURITY_POLICY);
  });

  it('index.html has no inline script', () => {
    for (const [, attributes, body] of indexHtml.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)) {
      expect(attributes).toMatch(/src=/);
      expect(body?.trim()).toBe('');
    }
  });
});

describe('withCsp', () => {
  it('replaces a weaker policy in any letter case and keeps other headers', () => {
    const headers = withCsp({ 'content-security-policy': ["default-src *"], 'Content-Type': ['text/html'] });
    expect(headers['Content-Security-Policy']).toEqual([CONTENT_SECURITY_POLICY]);
    expect(headers['content-security-policy']).toBeUndefined();
    expect(headers['Content-Type']).toEqual(['text/html']);
  });

  it('adds the policy when the response has no headers', () => {
    expect(withCsp(undefined)).toEqual({ 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] });
  });
});
