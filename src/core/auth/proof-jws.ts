/**
 * Verifies a DPoP proof's compact JWS with node:crypto directly, on the hot path of every agent
 * request: jose's portable WebCrypto route costs several times more per proof. The rules are the
 * ones jose's jwtVerify + EmbeddedJWK applied for us: `alg` from an allow-list with a key of the
 * matching type, a public JWK embedded in the header, no `crit`, `typ` dpop+jwt, a JSON object
 * payload, and `exp`/`nbf` honoured when present. Imported keys are cached by their thumbprint.
 */
import { createPublicKey, hash, verify, type KeyObject } from 'node:crypto';

export interface VerifiedProofJws {
  readonly header: Readonly<Record<string, unknown>>;
  readonly payload: Readonly<Record<string, unknown>>;
  /** RFC 7638 SHA-256 thumbprint of the embedded key. */
  readonly jkt: string;
}

// `Ed25519` is RFC 9864's fully-specified name that current clients send; `EdDSA` is the older one.
const KEY_TYPES: Readonly<Record<string, { readonly kty: string; readonly crv: string }>> = {
  Ed25519: { kty: 'OKP', crv: 'Ed25519' },
  EdDSA: { kty: 'OKP', crv: 'Ed25519' },
  ES256: { kty: 'EC', crv: 'P-256' },
};
const B64URL = /^[A-Za-z0-9_-]+$/;
const KEY_CACHE_MAX = 10_000;
const keys = new Map<string, KeyObject>();

/** Throws a plain Error on any failure; the caller turns it into invalid_dpop_proof. */
export function verifyProofJws(proof: string, nowSeconds: number): VerifiedProofJws {
  const [h, p, s] = proof.split('.');
  if (h === undefined || p === undefined || s === undefined || !B64URL.test(s)) throw new Error('shape');
  const header = parseObject(h);
  const kind = typeof header.alg === 'string' && Object.hasOwn(KEY_TYPES, header.alg) ? KEY_TYPES[header.alg] : undefined;
  if (!kind) throw new Error('alg');
  if (!isDpopTyp(header.typ)) throw new Error('typ');
  if (header.crit !== undefined || header.b64 !== undefined) throw new Error('crit');
  const jwk = header.jwk as Record<string, unknown> | undefined;
  if (typeof jwk !== 'object' || jwk === null || Array.isArray(jwk)) throw new Error('jwk');
  if (jwk.kty !== kind.kty || jwk.crv !== kind.crv || jwk.d !== undefined) throw new Error('jwk');
  const jkt = thumbprint(jwk);
  const key = publicKey(jkt, jwk);
  const data = Buffer.from(`${h}.${p}`);
  const signature = Buffer.from(s, 'base64url');
  const ok = kind.kty === 'OKP' ? verify(null, data, key, signature) : verify('sha256', data, { key, dsaEncoding: 'ieee-p1363' }, signature);
  if (!ok) throw new Error('signature');
  const payload = parseObject(p);
  if (payload.exp !== undefined && (typeof payload.exp !== 'number' || payload.exp <= nowSeconds)) throw new Error('exp');
  if (payload.nbf !== undefined && (typeof payload.nbf !== 'number' || payload.nbf > nowSeconds)) throw new Error('nbf');
  return { header, payload, jkt };
}

function parseObject(part: string): Record<string, unknown> {
  if (!B64URL.test(part)) throw new Error('base64url');
  const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('not an object');
  return value as Record<string, unknown>;
}

function isDpopTyp(typ: unknown): boolean {
  if (typeof typ !== 'string') return false;
  const t = typ.toLowerCase();
  return t === 'dpop+jwt' || t === 'application/dpop+jwt';
}

/** RFC 7638: the required members only, in lexicographic order, no whitespace. */
function thumbprint(jwk: Record<string, unknown>): string {
  const str = (v: unknown) => {
    if (typeof v !== 'string' || !B64URL.test(v)) throw new Error('jwk member');
    return v;
  };
  const canonical =
    jwk.kty === 'OKP'
      ? `{"crv":"${str(jwk.crv)}","kty":"OKP","x":"${str(jwk.x)}"}`
      : `{"crv":"${str(jwk.crv)}","kty":"EC","x":"${str(jwk.x)}","y":"${str(jwk.y)}"}`;
  return hash('sha256', canonical, 'base64url');
}

function publicKey(jkt: string, jwk: Record<string, unknown>): KeyObject {
  const cached = keys.get(jkt);
  if (cached) return cached;
  const members = jwk.kty === 'OKP' ? { kty: 'OKP', crv: jwk.crv, x: jwk.x } : { kty: 'EC', crv: jwk.crv, x: jwk.x, y: jwk.y };
  const key = createPublicKey({ key: members as import('node:crypto').JsonWebKey, format: 'jwk' });
  if (keys.size >= KEY_CACHE_MAX) keys.delete(keys.keys().next().value as string);
  keys.set(jkt, key);
  return key;
}
