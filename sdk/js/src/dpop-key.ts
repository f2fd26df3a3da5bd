/**
 * The agent's own key (Ed25519) and the DPoP proofs it signs (RFC 9449 §4). Node's crypto does
 * the signing, so the SDK needs no JOSE library: a proof is a compact JWS built by hand.
 * The private key stays a KeyObject in memory; it leaves only through `toPrivateJwk` when the
 * caller asked for a key file.
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import { base64url, sha256Base64url } from './base64url.js';

export interface PublicJwk {
  readonly kty: 'OKP';
  readonly crv: 'Ed25519';
  readonly x: string;
}

export interface PrivateJwk extends PublicJwk {
  readonly d: string;
}

export interface ProofClaims {
  readonly htm: string;
  readonly htu: string;
  /** The access token this proof goes with: adds `ath` (RFC 9449 §4.2). */
  readonly accessToken?: string;
  readonly nonce?: string;
}

export class DpopKey {
  private constructor(
    private readonly privateKey: KeyObject,
    readonly publicJwk: PublicJwk,
    /** RFC 7638 SHA-256 thumbprint: the token's `cnf.jkt`. */
    readonly thumbprint: string,
  ) {}

  static generate(): DpopKey {
    return DpopKey.fromKeyObject(generateKeyPairSync('ed25519').privateKey);
  }

  static fromPrivateJwk(jwk: PrivateJwk): DpopKey {
    if (jwk.kty !== 'OKP' || jwk.crv !== 'Ed25519' || typeof jwk.d !== 'string' || typeof jwk.x !== 'string') {
      throw new TypeError('not an Ed25519 private JWK');
    }
    // Only the key's own members: a stored JWK's extras (`kid`, `use`, `key_ops`) must not change what is loaded.
    return DpopKey.fromKeyObject(createPrivateKey({ key: { kty: 'OKP', crv: 'Ed25519', x: jwk.x, d: jwk.d }, format: 'jwk' }));
  }

  private static fromKeyObject(privateKey: KeyObject): DpopKey {
    const exported = createPublicKey(privateKey).export({ format: 'jwk' });
    if (typeof exported.x !== 'string') throw new TypeError('not an Ed25519 key');
    const publicJwk: PublicJwk = { kty: 'OKP', crv: 'Ed25519', x: exported.x };
    return new DpopKey(privateKey, publicJwk, jwkThumbprint(publicJwk));
  }

  toPrivateJwk(): PrivateJwk {
    const exported = this.privateKey.export({ format: 'jwk' });
    if (typeof exported.d !== 'string') throw new TypeError('not an Ed25519 key');
    return { ...this.publicJwk, d: exported.d };
  }

  /** A fresh proof: new `jti` every time (the engine refuses a replay), `iat` now. */
  proof(claims: ProofClaims): string {
    const header = { typ: 'dpop+jwt', alg: 'EdDSA', jwk: this.publicJwk };
    const payload = {
      jti: randomBytes(18).toString('base64url'),
      htm: claims.htm,
      htu: claims.htu,
      iat: Math.floor(Date.now() / 1000),
      ...(claims.accessToken === undefined ? {} : { ath: sha256Base64url(claims.accessToken) }),
      ...(claims.nonce === undefined ? {} : { nonce: claims.nonce }),
    };
    const input = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(payload))}`;
    return `${input}.${base64url(sign(null, Buffer.from(input, 'ascii'), this.privateKey))}`;
  }
}

/** RFC 7638: the required members in lexicographic order, no whitespace. */
export function jwkThumbprint(jwk: PublicJwk): string {
  return sha256Base64url(JSON.stringify({ crv: jwk.crv, kty: jwk.kty, x: jwk.x }));
}
