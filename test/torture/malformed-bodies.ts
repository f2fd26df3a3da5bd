/**
 * Body defects of the malformed-input torture: JSON that is not JSON or not an object, refs and
 * reasons of every wrong shape (including one bad ref among good ones: all or nothing), sizes
 * over the limit, odd encodings, and form bodies of the OAuth endpoints that cannot succeed.
 */
import type { Defect } from './malformed-defects.js';
import type { Draft, FuzzContext, RouteName } from './malformed-draft.js';
import type { Random } from './seeded-random.js';

type Body = Record<string, unknown>;

const resolveBody = (d: Draft): Body => JSON.parse(String(d.body)) as Body;

/** A resolve body edit: takes the valid body, returns the bad one (object → JSON, string/Buffer as is). */
function resolveDefect(name: string, edit: (b: Body, c: FuzzContext, rng: Random) => unknown): Defect {
  return {
    slot: 'body',
    name,
    applies: (r: RouteName) => r === 'resolve',
    apply: (d, c, _t, rng) => {
      const out = edit(resolveBody(d), c, rng);
      d.body = typeof out === 'string' || Buffer.isBuffer(out) ? out : JSON.stringify(out);
    },
  };
}

function routeDefect(routes: readonly RouteName[], name: string, apply: (d: Draft, c: FuzzContext, rng: Random) => void): Defect {
  return { slot: 'body', name, applies: (r) => routes.includes(r), apply: (d, c, _t, rng) => apply(d, c, rng) };
}

const PRINTABLE = 'abcdefghijklmnopqrstuvwxyz0123456789-_.~%/?#:@!$&\'()*+,;= ';
const randomText = (rng: Random, n: number): string => Array.from({ length: n }, () => rng.pick([...PRINTABLE])).join('');
const junk = (rng: Random): unknown => rng.pick<unknown>([null, true, 42, -1.5e308, {}, [], { a: 1 }, [[]], '']);
const overLimit = (text: string): string => text.replace(/}$/, `,"pad":"${'x'.repeat(66_000)}"}`);

function refDefects(): Defect[] {
  return [
    resolveDefect('refs missing', (b) => ({ reason: b.reason })),
    resolveDefect('refs empty', (b) => ({ ...b, refs: [] })),
    resolveDefect('refs a string', (b) => ({ ...b, refs: (b.refs as string[])[0] })),
    resolveDefect('refs 51 long', (b, c) => ({ ...b, refs: Array.from({ length: 51 }, (_, i) => `${c.secrets.refs[i % c.secrets.refs.length]}${'x'.repeat(i)}`) })),
    resolveDefect('refs holding a non-string', (b, _c, rng) => ({ ...b, refs: [...(b.refs as string[]), junk(rng)] })),
    resolveDefect('refs random text', (b, _c, rng) => ({ ...b, refs: [randomText(rng, 1 + rng.int(80))] })),
    resolveDefect('refs vk:// and random segments', (b, _c, rng) => ({ ...b, refs: [`vk://${randomText(rng, 8)}/${randomText(rng, 8)}/${randomText(rng, 8)}`] })),
    resolveDefect('refs an unknown entry', (b, c, rng) => ({ ...b, refs: [`vk://${c.secrets.vault}/missing-${rng.int(1e9)}/password`] })),
    resolveDefect('refs an unknown field', (b, c) => ({ ...b, refs: [`vk://${c.secrets.vault}/entry-0/no-such-field`] })),
    resolveDefect('refs a foreign vault', (b, c) => ({ ...b, refs: [`vk://${c.foreignVault}/entry-0/password`] })),
    resolveDefect('refs the TOTP seed', (b, c) => ({ ...b, refs: [`vk://${c.secrets.vault}/entry-0/totp`] })),
    resolveDefect('refs a wrong attribute', (b, c) => ({ ...b, refs: [`vk://${c.secrets.vault}/entry-0?attribute=seed`] })),
    resolveDefect('refs a fragment', (b) => ({ ...b, refs: [`${(b.refs as string[])[0]}#frag`] })),
    resolveDefect('refs over 1024 characters', (b, c) => ({ ...b, refs: [`vk://${c.secrets.vault}/entry-0/${'f'.repeat(1100)}`] })),
    resolveDefect('refs bad percent-encoding', (b, c) => ({ ...b, refs: [`vk://${c.secrets.vault}/%E0%A4%A/password`] })),
    resolveDefect('refs a lone surrogate', (b, c) => `{"refs":["vk://${c.secrets.vault}/entry-\\ud800/password"],"reason":${JSON.stringify(b.reason)}}`),
    resolveDefect('refs good and bad (all or nothing)', (b, c, rng) => ({ ...b, refs: [...c.secrets.refs, rng.pick([`vk://${c.foreignVault}/entry-0/password`, `vk://${c.secrets.vault}/nope/password`, 'not a ref'])] })),
    resolveDefect('invalid UTF-8 inside a ref', (b, c) => Buffer.concat([Buffer.from(`{"refs":["vk://${c.secrets.vault}/entry-0`), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from(`/password"],"reason":${JSON.stringify(b.reason)}}`)])),
  ];
}

function reasonDefects(): Defect[] {
  return [
    resolveDefect('reason missing', (b) => ({ refs: b.refs })),
    resolveDefect('reason empty', (b) => ({ ...b, reason: '' })),
    resolveDefect('reason only spaces', (b) => ({ ...b, reason: ' \n\t ' })),
    resolveDefect('reason 301 characters', (b) => ({ ...b, reason: 'r'.repeat(301) })),
    resolveDefect('reason with a control character', (b) => ({ ...b, reason: 'pay\u0007 the bill' })),
    resolveDefect('reason not a string', (b, _c, rng) => ({ ...b, reason: rng.pick<unknown>([7, null, {}, [], true, ['x']]) })),
    resolveDefect('reason repeated, the last one empty', (b) => `${JSON.stringify(b).slice(0, -1)},"reason":""}`),
  ];
}

function shapeDefects(): Defect[] {
  return [
    resolveDefect('not JSON', (_b, _c, rng) => Buffer.concat([Buffer.from('{'), rng.bytes(1 + rng.int(200))])),
    resolveDefect('truncated JSON', (b, _c, rng) => {
      const text = JSON.stringify(b);
      return text.slice(0, 1 + rng.int(text.length - 1));
    }),
    resolveDefect('empty body', () => ''),
    resolveDefect('a JSON array', (b) => [b]),
    resolveDefect('a JSON string', (b) => JSON.stringify(JSON.stringify(b))),
    resolveDefect('JSON null', () => 'null'),
    resolveDefect('a JSON number', () => '12345'),
    resolveDefect('wrapped in __proto__', (b) => `{"__proto__":${JSON.stringify(b)}}`),
    resolveDefect('deeply nested', () => `{"refs":${'['.repeat(20_000)}${']'.repeat(20_000)},"reason":"deep"}`),
    resolveDefect('UTF-16 encoded', (b) => Buffer.from(JSON.stringify(b), 'utf16le')),
    resolveDefect('over 64 KiB', (b) => overLimit(JSON.stringify(b))),
  ];
}

function fetchDefects(): Defect[] {
  const edit = (name: string, f: (b: Body, c: FuzzContext, rng: Random) => unknown): Defect =>
    routeDefect(['fetch'], name, (d, c, rng) => {
      const out = f(JSON.parse(String(d.body)) as Body, c, rng);
      d.body = typeof out === 'string' ? out : JSON.stringify(out);
    });
  return [
    edit('fetch: request missing', (b) => ({ reason: b.reason })),
    edit('fetch: request a string', (b) => ({ ...b, request: 'GET https://example.com' })),
    edit('fetch: url not a URL', (b) => ({ ...b, request: { method: 'GET', url: 'not a url {{vk://x/y/z}}' } })),
    edit('fetch: placeholder in the host', (b, c) => ({ ...b, request: { method: 'GET', url: `https://{{${c.secrets.refs[0]}}}/` } })),
    edit('fetch: no placeholder', (b) => ({ ...b, request: { method: 'GET', url: 'https://api.example.invalid/' } })),
    edit('fetch: headers not an object', (b, c) => ({ ...b, request: { method: 'GET', url: 'https://api.example.invalid/', headers: `{{${c.secrets.refs[0]}}}` } })),
    edit('fetch: reason missing', (b) => ({ request: b.request })),
    edit('fetch: over 64 KiB', (b) => overLimit(JSON.stringify(b))),
  ];
}

function formDefects(): Defect[] {
  const all: RouteName[] = ['token', 'device', 'revoke'];
  return [
    routeDefect(all, 'form: a parameter twice', (d) => void (d.body = `${String(d.body)}&${String(d.body).split('&')[0]}`)),
    routeDefect(all, 'form: binary garbage', (d, _c, rng) => void (d.body = rng.bytes(1 + rng.int(300)))),
    routeDefect(all, 'form: over 64 KiB', (d) => void (d.body = `${String(d.body)}&pad=${'x'.repeat(66_000)}`)),
    routeDefect(all, 'form as JSON with an object value', (d) => Object.assign(d, { contentType: 'application/json', body: '{"grant_type":{"a":1},"token":["x"],"client_id":null}' })),
    routeDefect(['revoke'], 'revoke: token missing', (d) => void (d.body = 'token_type_hint=access_token')),
    routeDefect(['token'], 'token: unknown grant_type', (d) => void (d.body = 'grant_type=password&username=a&password=b')),
    routeDefect(['token'], 'token: garbage device code', (d, _c, rng) => void (d.body = `grant_type=${encodeURIComponent('urn:ietf:params:oauth:grant-type:device_code')}&device_code=${rng.bytes(32).toString('base64url')}&client_id=fuzz-bot`)),
    routeDefect(['token'], 'token: exchange of a changed subject token', (d, c) => {
      d.body = new URLSearchParams({
        grant_type: 'urn:ietf:params:oauth:grant-type:token-exchange',
        subject_token: `${c.agent.token.slice(0, -10)}AAAAAAAAAA`,
        subject_token_type: 'urn:ietf:params:oauth:token-type:access_token',
        actor_jkt: c.other.key.thumbprint,
        actor_name: 'fuzz-sub',
      }).toString();
    }),
    routeDefect(['device'], 'device: scope garbage', (d, _c, rng) => void (d.body = `client_id=fuzz-bot&scope=${encodeURIComponent(randomText(rng, 20))}&reason=fuzz`)),
    routeDefect(['device', 'token'], 'client_id with a control character', (d) => void (d.body = String(d.body).replace('client_id=fuzz-bot', 'client_id=fuzz%07bot'))),
  ];
}

export function bodyDefects(): Defect[] {
  return [...refDefects(), ...reasonDefects(), ...shapeDefects(), ...fetchDefects(), ...formDefects()];
}
