/**
 * An agent's own DPoP key (RFC 9449): Ed25519, made here, kept by the caller (the CLI keeps it in
 * the OS keychain), never sent anywhere but as the public half inside a proof. Each proof has a
 * fresh `jti`, the method and canonical URL, `ath` when a token rides along, and the server's
 * latest nonce when one is known.
 */
import { createHash, randomBytes } from 'node:crypto';
import { SignJWT, calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type CryptoKey, type JWK } from 'jose';

export interface ProofClaims {
  readonly htm: string;
  readonly htu: string;
  readonly accessToken?: string;
  readonly nonce?: string;
}

export class DpopKey {
  private constructor(
    private readonly privateKey: CryptoKey,
    private readonly privateJwkValue: JWK,
    readonly publicJwk: JWK,
    /** RFC 7638 SHA-256 thumbprint: the token's `cnf.jkt`. */
    readonly jkt: string,
  ) {}

  static async generate(): Promise<DpopKey> {
    const { privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
    return DpopKey.fromJwk(await exportJWK(privateKey));
  }

  static async fromJwk(jwk: JWK): Promise<DpopKey> {
    if (jwk.kty !== 'OKP' || jwk.crv !== 'Ed25519' || typeof jwk.d !== 'string' || typeof jwk.x !== 'string') {
      throw new Error('the stored agent key is not an Ed25519 private key');
    }
    const privateKey = (await importJWK({ ...jwk, alg: 'EdDSA' }, 'EdDSA', { extractable: false })) as CryptoKey;
    const publicJwk: JWK = { kty: 'OKP', crv: 'Ed25519', x: jwk.x };
    return new DpopKey(privateKey, { kty: 'OKP', crv: 'Ed25519', x: jwk.x, d: jwk.d }, publicJwk, await calculateJwkThumbprint(publicJwk, 'sha256'));
  }

  /** The private JWK, for the caller's key store only. */
  privateJwk(): JWK {
    return { ...this.privateJwkValue };
  }

  proof(claims: ProofClaims): Promise<string> {
    return new SignJWT({
      jti: randomBytes(16).toString('base64url'),
      htm: claims.htm,
      htu: claims.htu,
      ...(claims.accessToken === undefined ? {} : { ath: createHash('sha256').update(claims.accessToken, 'ascii').digest('base64url') }),
      ...(claims.nonce === undefined ? {} : { nonce: claims.nonce }),
    })
      .setProtectedHeader({ typ: 'dpop+jwt', alg: 'EdDSA', jwk: this.publicJwk })
      .setIssuedAt()
      .sign(this.privateKey);
  }
}
