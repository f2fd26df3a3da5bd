/**
 * An agent's own DPoP key (RFC 9449): Ed25519, made here, kept by the caller (the CLI keeps it in
 * the OS keychain), never sent anywhere but as the public half inside a proof. Each proof has a
 * fresh `jti`, the method and canonical URL, `ath` when a token rides along, and the server's
 * latest nonce when one is known. Signed with node:crypto and built by hand: loading a JOSE
 * library and WebCrypto cost an agent's `valetkey read` more time than the request itself.
 */
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import type { JWK } from 'jose';

export interface ProofClaims {
  readonly htm: string;
  readonly htu: string;
  readonly accessToken?: string;
  readonly nonce?: string;
}

const b64url = (data: string | Uint8Array) => Buffer.from(data).toString('base64url');
const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('base64url');

export class DpopKey {
  private constructor(
    private readonly privateKey: KeyObject,
    readonly publicJwk: JWK,
    /** RFC 7638 SHA-256 thumbprint: the token's `cnf.jkt`. */
    readonly jkt: string,
  ) {}

  static async generate(): Promise<DpopKey> {
    return DpopKey.fromKeyObject(generateKeyPairSync('ed25519').privateKey);
  }

  static async fromJwk(jwk: JWK): Promise<DpopKey> {
    if (jwk.kty !== 'OKP' || jwk.crv !== 'Ed25519' || typeof jwk.d !== 'string' || typeof jwk.x !== 'string') {
      throw new Error('the stored agent key is not an Ed25519 private key');
    }
    return DpopKey.fromKeyObject(createPrivateKey({ key: { kty: 'OKP', crv: 'Ed25519', x: jwk.x, d: jwk.d }, format: 'jwk' }));
  }

  private static fromKeyObject(privateKey: KeyObject): DpopKey {
    const x = createPublicKey(privateKey).export({ format: 'jwk' }).x;
    if (typeof x !== 'string') throw new Error('the agent key is not an Ed25519 key');
    // RFC 7638: the required members in lexicographic order, no whitespace.
    return new DpopKey(privateKey, { kty: 'OKP', crv: 'Ed25519', x }, sha256(JSON.stringify({ crv: 'Ed25519', kty: 'OKP', x })));
  }

  /** The private JWK, for the caller's key store only. */
  privateJwk(): JWK {
    const { d } = this.privateKey.export({ format: 'jwk' });
    return { kty: 'OKP', crv: 'Ed25519', x: this.publicJwk.x, d };
  }

  async proof(claims: ProofClaims): Promise<string> {
    const header = { typ: 'dpop+jwt', alg: 'EdDSA', jwk: this.publicJwk };
    const payload = {
      jti: randomBytes(16).toString('base64url'),
      htm: claims.htm,
      htu: claims.htu,
      iat: Math.floor(Date.now() / 1000),
      ...(claims.accessToken === undefined ? {} : { ath: createHash('sha256').update(claims.accessToken, 'ascii').digest('base64url') }),
      ...(claims.nonce === undefined ? {} : { nonce: claims.nonce }),
    };
    const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(payload))}`;
    return `${input}.${b64url(sign(null, Buffer.from(input, 'ascii'), this.privateKey))}`;
  }
}
