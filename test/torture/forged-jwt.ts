/**
 * JWTs as an attacker or a broken client makes them: DPoP proofs with any header or claim
 * changed, dropped or added, signed properly, with another key, with HMAC, or not at all; and
 * access tokens re-headed with `alg: none`. node:crypto only, so a forgery costs microseconds.
 */
import { createHash, createHmac, randomBytes, sign } from 'node:crypto';
import type { DpopKey } from '../../bench/lib/dpop.js';

export type Signing = 'ok' | 'none' | 'hs256' | 'other-key';

export interface ProofSpec {
  readonly key: DpopKey;
  readonly method: string;
  readonly htu: string;
  readonly accessToken?: string;
  /** Merged into the protected header; an `undefined` value removes the member. */
  readonly header?: Readonly<Record<string, unknown>>;
  /** Merged into the claims; an `undefined` value removes the claim. */
  readonly claims?: Readonly<Record<string, unknown>>;
  readonly signing?: Signing;
  /** Signs with this key instead (for 'other-key'). */
  readonly otherKey?: DpopKey;
}

export const b64url = (v: string | Buffer): string => Buffer.from(v).toString('base64url');

export function forgeProof(spec: ProofSpec): string {
  const header = merge({ typ: 'dpop+jwt', alg: 'EdDSA', jwk: spec.key.jwk }, spec.header);
  const claims = merge(
    {
      jti: randomBytes(16).toString('base64url'),
      htm: spec.method,
      htu: spec.htu,
      iat: Math.floor(Date.now() / 1000),
      ...(spec.accessToken === undefined ? {} : { ath: createHash('sha256').update(spec.accessToken).digest('base64url') }),
    },
    spec.claims,
  );
  const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}`;
  return `${input}.${signature(input, spec)}`;
}

function signature(input: string, spec: ProofSpec): string {
  switch (spec.signing ?? 'ok') {
    case 'ok':
      return sign(null, Buffer.from(input), spec.key.privateKey).toString('base64url');
    case 'none':
      return '';
    case 'hs256':
      return createHmac('sha256', randomBytes(32)).update(input).digest('base64url');
    case 'other-key':
      return sign(null, Buffer.from(input), (spec.otherKey ?? spec.key).privateKey).toString('base64url');
  }
}

function merge(base: Record<string, unknown>, changes: Readonly<Record<string, unknown>> | undefined): Record<string, unknown> {
  const out = { ...base };
  for (const [name, value] of Object.entries(changes ?? {})) {
    if (value === undefined) delete out[name];
    else out[name] = value;
  }
  return out;
}

/** The token's own payload under a header that says `alg: none`, with no signature. */
export function algNoneToken(token: string): string {
  const payload = token.split('.')[1] ?? '';
  return `${b64url(JSON.stringify({ alg: 'none', typ: 'at+jwt' }))}.${payload}.`;
}

/**
 * One character changed somewhere before the last: that changes decoded bytes for certain (the
 * last base64url character may carry unused bits, so a change there might decode the same).
 */
export function mutateOneChar(text: string, position: number, pick: number): string {
  const i = Math.max(0, Math.min(text.length - 2, position));
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  const current = text[i] ?? 'A';
  const others = alphabet.replace(current, '');
  return `${text.slice(0, i)}${others[pick % others.length] ?? 'A'}${text.slice(i + 1)}`;
}
