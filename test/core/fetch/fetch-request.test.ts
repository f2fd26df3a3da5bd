import { describe, expect, it } from 'vitest';
import { PLACEHOLDER_ALLOWANCE, fillRequest, parseFetchRequest } from '../../../src/core/fetch/fetch-request.js';
import { checkDestination } from '../../../src/core/fetch/host-policy.js';
import { isVkError } from '../../../src/shared/errors.js';

const REF = 'vk://Ops/Stripe/api_key';

function code(run: () => unknown): string | undefined {
  try {
    run();
  } catch (e) {
    return isVkError(e) ? e.code : 'not a VkError';
  }
  return undefined;
}

describe('parseFetchRequest and fillRequest', () => {
  it('finds references in path, query, headers and body, and fills each the way its place needs', () => {
    const t = parseFetchRequest({ method: 'post', url: `https://api.stripe.com/v1/x/{{${REF}}}?k={{ ${REF} }}`, headers: { Authorization: `Bearer {{${REF}}}` }, body: { key: `{{${REF}}}` } });
    expect(t.refs).toEqual([REF]);
    expect(t.origin.host).toBe('api.stripe.com');
    const out = fillRequest(t, new Map([[REF, 'sk "1/2"']]));
    expect(out.method).toBe('POST');
    expect(out.url.href).toBe('https://api.stripe.com/v1/x/sk%20%221%2F2%22?k=sk%20%221%2F2%22');
    expect(out.headers.authorization).toBe('Bearer sk "1/2"');
    expect(out.headers['accept-encoding']).toBe('identity');
    expect(out.headers['content-type']).toBe('application/json');
    expect(JSON.parse(out.body?.toString() ?? '')).toEqual({ key: 'sk "1/2"' });
  });

  it('refuses placeholders in the scheme, host or port, user:password@, bad methods and framing headers', () => {
    expect(code(() => parseFetchRequest({ url: `https://{{${REF}}}.evil.test/` }))).toBe('invalid_request');
    expect(code(() => parseFetchRequest({ url: `https://api.test:{{${REF}}}/` }))).toBe('invalid_request');
    expect(code(() => parseFetchRequest({ url: 'https://user:pw@api.test/' }))).toBe('invalid_request');
    expect(code(() => parseFetchRequest({ url: 'ftp://api.test/' }))).toBe('invalid_request');
    expect(code(() => parseFetchRequest({ url: 'https://api.test/', method: 'CONNECT' }))).toBe('invalid_request');
    expect(code(() => parseFetchRequest({ url: 'https://api.test/', headers: { Host: 'evil.test' } }))).toBe('invalid_request');
    expect(code(() => parseFetchRequest({ url: 'https://api.test/', method: 'GET', body: 'x' }))).toBe('invalid_request');
  });

  it('refuses a value that would break out of a header, and a value over the placeholder allowance', () => {
    const header = parseFetchRequest({ url: 'https://api.test/', headers: { 'X-Key': `{{${REF}}}` } });
    expect(code(() => fillRequest(header, new Map([[REF, 'a\r\nX-Evil: 1']])))).toBe('invalid_request');
    const body = parseFetchRequest({ method: 'POST', url: 'https://api.test/', body: `{{${REF}}}` });
    expect(code(() => fillRequest(body, new Map([[REF, 'x'.repeat(70_000)]])))).toBe('invalid_request');
    expect(code(() => fillRequest(body, new Map([[REF, 'x'.repeat(PLACEHOLDER_ALLOWANCE)]])))).toBeUndefined();
  });

  it('checks size limits on the template, each placeholder counted at its full allowance, before any value is read', () => {
    const fits = 64 * 1024 - PLACEHOLDER_ALLOWANCE - `{{${REF}}}`.length;
    expect(code(() => parseFetchRequest({ method: 'POST', url: 'https://api.test/', body: `${'p'.repeat(fits)}{{${REF}}}` }))).toBeUndefined();
    expect(code(() => parseFetchRequest({ method: 'POST', url: 'https://api.test/', body: `${'p'.repeat(fits + 1)}{{${REF}}}` }))).toBe('payload_too_large');
    const url = `https://api.test/${'p'.repeat(8192 - PLACEHOLDER_ALLOWANCE)}{{${REF}}}`;
    expect(code(() => parseFetchRequest({ url }))).toBe('invalid_request');
  });
});

describe('checkDestination', () => {
  const url = (u: string) => new URL(u);
  it('needs every entry to allow the host, on the default port unless a port is named', () => {
    expect(code(() => checkDestination(url('https://api.test/'), [['api.test'], ['API.test']]))).toBeUndefined();
    expect(code(() => checkDestination(url('https://api.test:8443/'), [['api.test']]))).toBe('host_not_allowed');
    expect(code(() => checkDestination(url('https://api.test:8443/'), [['api.test:8443']]))).toBeUndefined();
    expect(code(() => checkDestination(url('https://api.test/'), [['api.test'], []]))).toBe('host_not_allowed');
    expect(code(() => checkDestination(url('https://api.test.evil.test/'), [['api.test']]))).toBe('host_not_allowed');
    expect(code(() => checkDestination(url('https://api.test/'), []))).toBe('host_not_allowed');
  });

  it('allows plain http only to loopback', () => {
    expect(code(() => checkDestination(url('http://api.test/'), [['api.test']]))).toBe('invalid_request');
    expect(code(() => checkDestination(url('http://127.0.0.1:8080/'), [['127.0.0.1:8080']]))).toBeUndefined();
    expect(code(() => checkDestination(url('http://[::1]:8080/'), [['[::1]:8080']]))).toBeUndefined();
  });
});
