/**
 * The defect catalogue of the malformed-input torture, one part of the request per slot. Every
 * defect on its own makes the request wrong (never merely unusual: no header-case games, no
 * equivalent encodings), so any 200 with a secret, or any 5xx, is the engine's fault.
 */
import { newDpopKey } from '../../bench/lib/dpop.js';
import { algNoneToken, b64url, forgeProof, mutateOneChar } from './forged-jwt.js';
import type { Target } from './keep-alive-client.js';
import { FORM, isOauth, isPost, isProtected, type Draft, type FuzzContext, type RouteName, type Slot } from './malformed-draft.js';
import type { Random } from './seeded-random.js';
import { bodyDefects } from './malformed-bodies.js';

export interface Defect {
  readonly name: string;
  readonly slot: Slot;
  applies(route: RouteName): boolean;
  apply(d: Draft, ctx: FuzzContext, target: Target, rng: Random): void;
}

const always = (): boolean => true;
const STRANGER = newDpopKey();

function defect(slot: Slot, name: string, apply: Defect['apply'], applies: Defect['applies'] = always): Defect {
  return { slot, name, apply, applies };
}

const HOSTS: Defect[] = [
  defect('host', 'host missing', (d) => void (d.host = [])),
  defect('host', 'host twice', (d, _c, t) => void (d.host = [t.host, t.host])),
  defect('host', 'host evil', (d, _c, t) => void (d.host = [`evil.example${t.via === 'tcp' ? `:${t.port}` : ''}`])),
  defect('host', 'host other port', (d, _c, t) => void (d.host = [t.via === 'tcp' ? `127.0.0.1:${(t.port ?? 0) + 1}` : 'localhost:80'])),
  defect('host', 'host 127.0.0.2', (d, _c, t) => void (d.host = [`127.0.0.2:${t.port ?? 80}`])),
  defect('host', 'host empty', (d) => void (d.host = [''])),
  defect('host', 'host random', (d, _c, _t, rng) => void (d.host = [`${rng.bytes(6).toString('hex')}.test`])),
];

const ORIGINS: Defect[] = [
  defect('origin', 'origin evil', (d) => void (d.origin = 'https://evil.example')),
  defect('origin', 'origin null', (d) => void (d.origin = 'null')),
  defect('origin', 'origin loopback', (d, _c, t) => void (d.origin = `http://127.0.0.1:${t.port ?? 80}`)),
  defect('origin', 'origin random', (d, _c, _t, rng) => void (d.origin = `http://${rng.bytes(5).toString('hex')}.example`)),
];

const METHODS: Defect[] = [
  defect('method', 'method swapped', (d) => void (d.method = isPost(d.route) ? 'GET' : 'POST')),
  defect('method', 'method OPTIONS', (d) => void (d.method = 'OPTIONS')),
  defect('method', 'method PUT', (d) => void (d.method = 'PUT')),
  defect('method', 'method DELETE', (d) => void (d.method = 'DELETE')),
  defect('method', 'method PATCH', (d) => void (d.method = 'PATCH')),
  defect('method', 'method unknown token', (d) => void (d.method = 'FROB')),
];

const PATHS: Defect[] = [
  defect('path', 'token in the query', (d, c) => void (d.path = `${d.path}?access_token=${c.agent.token}`)),
  defect('path', 'empty query', (d) => void (d.path = `${d.path}?`)),
  defect('path', 'unknown path', (d, _c, _t, rng) => void (d.path = `/v1/${rng.bytes(4).toString('hex')}`)),
  defect('path', 'double slash', (d) => void (d.path = `/${d.path}`)),
  defect('path', 'percent-encoded letter', (d) => void (d.path = d.path.replace(/^\/v1\/(.)/, (_m, c: string) => `/v1/%${c.charCodeAt(0).toString(16)}`))),
  defect('path', 'absolute form', (d) => void (d.path = `http://evil.example${d.path}`)),
  defect('path', 'trailing slash', (d) => void (d.path = `${d.path}/`)),
  defect('path', 'encoded NUL', (d) => void (d.path = `${d.path}%00`)),
  defect('path', 'path over 16 KiB', (d) => void (d.path = `${d.path}/${'a'.repeat(17_000)}`)),
  defect('path', 'entries of a bad percent-encoding', (d) => void (d.path = '/v1/vaults/%E0%A4%A/entries'), (r) => r === 'entries'),
  defect('path', 'entries of a foreign vault', (d, c) => void (d.path = `/v1/vaults/${encodeURIComponent(c.foreignVault)}/entries`), (r) => r === 'entries'),
  defect('path', 'entries of no vault', (d, _c, _t, rng) => void (d.path = `/v1/vaults/${rng.bytes(6).toString('hex')}/entries`), (r) => r === 'entries'),
];

const AUTHS: Defect[] = [
  defect('auth', 'no Authorization', (d) => void (d.authorization = [])),
  defect('auth', 'garbage token', (d, _c, _t, rng) => void (d.authorization = [`DPoP ${rng.bytes(48).toString('base64url')}`])),
  defect('auth', 'one character changed', (d, c, _t, rng) => void (d.authorization = [`DPoP ${mutateOneChar(c.agent.token, rng.int(c.agent.token.length), rng.int(64))}`])),
  defect('auth', 'truncated token', (d, c, _t, rng) => void (d.authorization = [`DPoP ${c.agent.token.slice(0, 1 + rng.int(c.agent.token.length - 2))}`])),
  defect('auth', 'alg none token', (d, c) => void (d.authorization = [`DPoP ${algNoneToken(c.agent.token)}`])),
  defect('auth', 'bound token as Bearer', (d, c) => void (d.authorization = [`Bearer ${c.agent.token}`])),
  defect('auth', 'two Authorization headers', (d, c) => void (d.authorization = [`DPoP ${c.agent.token}`, `DPoP ${c.agent.token}`])),
  defect('auth', 'both schemes in one header', (d, c) => void (d.authorization = [`DPoP ${c.agent.token}, Bearer ${c.agent.token}`])),
  defect('auth', 'revoked token', (d, c) => Object.assign(d, { authorization: [`DPoP ${c.revoked.token}`], token: c.revoked.token, proofKey: c.revoked.key })),
  defect('auth', 'stolen token, thief key', (d, c) => Object.assign(d, { authorization: [`DPoP ${c.other.token}`], token: c.other.token })),
  defect('auth', 'bearer token as DPoP', (d, c) => Object.assign(d, { authorization: [`DPoP ${c.bearerToken}`], token: c.bearerToken })),
  defect('auth', 'no space after the scheme', (d, c) => void (d.authorization = [`DPoP${c.agent.token}`])),
  defect('auth', 'Basic scheme', (d) => void (d.authorization = ['Basic dXNlcjpwYXNzd29yZA=='])),
  defect('auth', 'token over 16 KiB', (d) => void (d.authorization = [`DPoP ${'A'.repeat(17_000)}`])),
  defect('auth', 'latin-1 bytes in the token', (d, c) => void (d.authorization = [`DPoP ${c.agent.token.slice(0, 20)}\u00e9\u00ff${c.agent.token.slice(22)}`])),
  defect('auth', 'three-part garbage JWT', (d, _c, _t, rng) => void (d.authorization = [`DPoP ${b64url(rng.bytes(20))}.${b64url(rng.bytes(40))}.${b64url(rng.bytes(64))}`])),
].map((x) => ({ ...x, applies: (r: RouteName) => isProtected(r) }));

/** A proof for the draft's final method and htu, with changes. */
const proof = (name: string, spec: (d: Draft, c: FuzzContext) => Partial<Parameters<typeof forgeProof>[0]>): Defect =>
  defect('proof', name, (d, c) => {
    d.dpop = (method, htu) => [forgeProof({ key: d.proofKey, method, htu, ...(d.token === undefined ? {} : { accessToken: d.token }), ...spec(d, c) })];
  });

const PROOFS: Defect[] = [
  // A device authorization needs no proof (RFC 9449 defines none there): without one it is a valid request.
  defect('proof', 'no DPoP header', (d) => void (d.dpop = []), (r) => r !== 'device'),
  defect('proof', 'two proofs', (d) => {
    d.dpop = (method, htu) => [forgeProof({ key: d.proofKey, method, htu, ...(d.token === undefined ? {} : { accessToken: d.token }) }), forgeProof({ key: d.proofKey, method, htu, ...(d.token === undefined ? {} : { accessToken: d.token }) })];
  }),
  defect('proof', 'garbage proof', (d, _c, _t, rng) => void (d.dpop = [rng.bytes(60).toString('base64url')])),
  defect('proof', 'proof with one character changed', (d, _c, _t, rng) => {
    d.dpop = (method, htu) => {
      const p = forgeProof({ key: d.proofKey, method, htu, ...(d.token === undefined ? {} : { accessToken: d.token }) });
      return [mutateOneChar(p, rng.int(p.length), rng.int(64))];
    };
  }),
  defect('proof', 'spent proof (replay)', (d, c, t, rng) => void (d.dpop = [rng.pick(c.spent.get(t.via) ?? ['x.y.z'])])),
  proof('htm of another method', (d) => ({ claims: { htm: d.method === 'GET' ? 'POST' : 'GET' } })),
  proof('htu of another path', () => ({ claims: { htu: 'http://127.0.0.1/v1/other' } })),
  defect('proof', 'htu over https', httpsHtu),
  proof('iat ten minutes old', () => ({ claims: { iat: Math.floor(Date.now() / 1000) - 600 } })),
  proof('iat an hour ahead', () => ({ claims: { iat: Math.floor(Date.now() / 1000) + 3600 } })),
  proof('iat missing', () => ({ claims: { iat: undefined } })),
  proof('iat a string', () => ({ claims: { iat: String(Math.floor(Date.now() / 1000)) } })),
  proof('jti missing', () => ({ claims: { jti: undefined } })),
  proof('jti too short', () => ({ claims: { jti: 'short' } })),
  proof('jti too long', () => ({ claims: { jti: 'j'.repeat(100) } })),
  proof('ath of another token', (_d, c) => ({ accessToken: c.other.token })),
  proof('typ JWT', () => ({ header: { typ: 'JWT' } })),
  proof('typ missing', () => ({ header: { typ: undefined } })),
  proof('alg none', () => ({ header: { alg: 'none' }, signing: 'none' })),
  proof('alg HS256', () => ({ header: { alg: 'HS256' }, signing: 'hs256' })),
  proof('alg ES256 on an Ed25519 key', () => ({ header: { alg: 'ES256' } })),
  proof('private key in the jwk', (d) => ({ header: { jwk: { ...d.proofKey.jwk, d: b64url(Buffer.alloc(32, 7)) } } })),
  proof('symmetric jwk', () => ({ header: { jwk: { kty: 'oct', k: b64url(Buffer.alloc(32, 1)) } } })),
  proof('signed by another key', () => ({ signing: 'other-key', otherKey: STRANGER })),
  proof('a stranger key, its own proof', () => ({ key: STRANGER })),
  proof('proof over 8 KiB', () => ({ claims: { pad: 'p'.repeat(9000) } })),
  defect('proof', 'header segment not JSON', (d) => {
    d.dpop = (method, htu) => {
      const [, payload, sig] = forgeProof({ key: d.proofKey, method, htu }).split('.');
      return [`${b64url('{"typ":"dpop+jwt",')}.${payload}.${sig}`];
    };
  }),
  defect('proof', 'four segments', (d) => {
    d.dpop = (method, htu) => [`${forgeProof({ key: d.proofKey, method, htu, ...(d.token === undefined ? {} : { accessToken: d.token }) })}.AAAA`];
  }),
];

function httpsHtu(d: Draft): void {
  d.dpop = (method, htu) => [forgeProof({ key: d.proofKey, method, htu: htu.replace('http://', 'https://'), ...(d.token === undefined ? {} : { accessToken: d.token }) })];
}

const TYPES: Defect[] = [
  defect('type', 'no Content-Type', (d) => void (d.contentType = null), isPost),
  defect('type', 'text/plain', (d) => void (d.contentType = 'text/plain'), isPost),
  defect('type', 'application/jsonx', (d) => void (d.contentType = 'application/jsonx'), isPost),
  defect('type', 'multipart', (d) => void (d.contentType = 'multipart/form-data; boundary=x'), isPost),
  defect('type', 'form on a JSON route', (d) => void (d.contentType = FORM), (r) => isPost(r) && !isOauth(r)),
  defect('type', 'JSON label on a form body', (d) => void (d.contentType = 'application/json'), (r) => isOauth(r)),
];

export const DEFECTS: readonly Defect[] = [...HOSTS, ...ORIGINS, ...METHODS, ...PATHS, ...AUTHS, ...PROOFS, ...TYPES, ...bodyDefects()];

/**
 * Revoke answers 200 to a well-formed request whatever the token: only defects that make the
 * request itself malformed apply there. Proof defects mean nothing on a route that takes none.
 */
export function defectsFor(route: RouteName): Defect[] {
  return DEFECTS.filter((d) => d.applies(route) && !(route === 'revoke' && (d.slot === 'proof' || d.slot === 'auth')));
}
