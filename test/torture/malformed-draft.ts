/**
 * A request under construction for the malformed-input torture: each route starts from the request
 * a correct client sends (valid token, fresh proof, valid body), then defects (malformed-defects.ts)
 * break it, one per part of the request, and `finalize` turns it into what goes on the wire. Proofs
 * are made last, for the final method and path, so a defect elsewhere is the only thing wrong.
 */
import type { DpopKey } from '../../bench/lib/dpop.js';
import { forgeProof } from './forged-jwt.js';
import type { Outgoing, Target } from './keep-alive-client.js';
import type { Random } from './seeded-random.js';
import type { TortureAgent } from './torture-agent.js';
import type { Secrets } from './torture-engine.js';

/** What the generators may use: the real agents and tokens of the engine under test. */
export interface FuzzContext {
  readonly secrets: Secrets;
  /** A valid agent whose token reads `secrets`' vault: the only thing a correct request needs. */
  readonly agent: TortureAgent;
  /** A valid agent of another vault (its token is "stolen" with the wrong key). */
  readonly other: TortureAgent;
  /** An enrolled token, revoked before the run. */
  readonly revoked: TortureAgent;
  /** An opted-in bearer token (sent under the DPoP scheme, which is wrong). */
  readonly bearerToken: string;
  /** The name of a vault the agent's token does not name. */
  readonly foreignVault: string;
  /** Proofs already accepted once (replays), by listener. */
  readonly spent: Map<Target['via'], string[]>;
}

export type RouteName = 'resolve' | 'vaults' | 'entries' | 'fetch' | 'token' | 'device' | 'revoke';
export const ROUTE_NAMES: readonly RouteName[] = ['resolve', 'vaults', 'entries', 'fetch', 'token', 'device', 'revoke'];

export type Slot = 'host' | 'origin' | 'method' | 'path' | 'auth' | 'proof' | 'type' | 'body';

/** Mutable on purpose: defects edit it in place before it is frozen into an Outgoing. */
export interface Draft {
  route: RouteName;
  method: string;
  path: string;
  /** Host values to send; null: the listener's correct one. */
  host: string[] | null;
  origin: string | null;
  authorization: string[];
  /** The token a proof's `ath` names (undefined: no ath). */
  token: string | undefined;
  proofKey: DpopKey;
  /** 'auto': one correct proof for the final method and path. */
  dpop: 'auto' | string[] | ((method: string, htu: string) => string[]);
  contentType: string | null;
  body: string | Buffer | undefined;
}

export const FORM = 'application/x-www-form-urlencoded';
const OAUTH_ROUTES: readonly RouteName[] = ['token', 'device', 'revoke'];

export function isOauth(route: RouteName): boolean {
  return OAUTH_ROUTES.includes(route);
}

export function isProtected(route: RouteName): boolean {
  return !isOauth(route);
}

export function isPost(route: RouteName): boolean {
  return route !== 'vaults' && route !== 'entries';
}

/** The request a correct client would send on `route` (for token/device: correct but for the missing server nonce). */
export function baseDraft(route: RouteName, ctx: FuzzContext, rng: Random): Draft {
  const { agent, secrets } = ctx;
  const common = { route, host: null, origin: null, proofKey: agent.key, dpop: 'auto' as const };
  const auth = { authorization: [`DPoP ${agent.token}`], token: agent.token };
  switch (route) {
    case 'resolve':
      return { ...common, ...auth, method: 'POST', path: '/v1/resolve', contentType: 'application/json', body: JSON.stringify({ refs: [rng.pick(secrets.refs)], reason: 'fuzz: reconcile' }) };
    case 'vaults':
      return { ...common, ...auth, method: 'GET', path: '/v1/vaults', contentType: null, body: undefined };
    case 'entries':
      return { ...common, ...auth, method: 'GET', path: `/v1/vaults/${encodeURIComponent(secrets.vault)}/entries`, contentType: null, body: undefined };
    case 'fetch': {
      const request = { method: 'GET', url: 'https://api.example.invalid/v1/me', headers: { authorization: `Bearer {{${rng.pick(secrets.refs)}}}` } };
      return { ...common, ...auth, method: 'POST', path: '/v1/fetch', contentType: 'application/json', body: JSON.stringify({ request, reason: 'fuzz: call the api' }) };
    }
    case 'token':
      return { ...common, authorization: [], token: undefined, method: 'POST', path: '/v1/token', contentType: FORM, body: enrollmentForm(rng) };
    case 'device':
      return { ...common, authorization: [], token: undefined, method: 'POST', path: '/v1/device_authorization', contentType: FORM, body: `client_id=fuzz-bot&scope=${encodeURIComponent(`vault:${secrets.vault}:read`)}&reason=fuzz` };
    case 'revoke':
      return { ...common, authorization: [], token: undefined, dpop: [], method: 'POST', path: '/v1/revoke', contentType: FORM, body: `token=${rng.bytes(24).toString('base64url')}` };
  }
}

function enrollmentForm(rng: Random): string {
  return `grant_type=${encodeURIComponent('urn:valetkey:params:oauth:grant-type:enrollment')}&enrollment_code=vke_${rng.bytes(24).toString('base64url')}&client_id=fuzz-bot`;
}

export function finalize(d: Draft, target: Target): Outgoing {
  const headers: string[] = [];
  for (const h of d.host ?? [target.host]) headers.push('Host', h);
  if (d.origin !== null) headers.push('Origin', d.origin);
  for (const a of d.authorization) headers.push('Authorization', a);
  for (const p of proofsOf(d, target)) headers.push('DPoP', p);
  if (d.contentType !== null) headers.push('Content-Type', d.contentType);
  return { method: d.method, path: d.path, headers, setHost: false, ...(d.body === undefined ? {} : { body: d.body }) };
}

function proofsOf(d: Draft, target: Target): string[] {
  const htu = `${target.base}${d.path.split('?')[0] ?? ''}`;
  if (d.dpop === 'auto') return [forgeProof({ key: d.proofKey, method: d.method, htu, ...(d.token === undefined ? {} : { accessToken: d.token }) })];
  if (typeof d.dpop === 'function') return d.dpop(d.method, htu);
  return d.dpop;
}
