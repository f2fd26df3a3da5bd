/**
 * A certificate authority for the HTTPS proxy: an ECDSA P-256 key and its self-signed certificate,
 * and the per-host leaf certificates it signs (one hour each). Built with node:crypto and a few
 * DER encoders (./der.ts) rather than a certificate library: the needed subset is small. The
 * engine's own CA (./data-dir-ca.ts) derives its key from the signing seed; tests make fresh ones.
 */
import { createHash, createPublicKey, generateKeyPairSync, randomBytes, sign, X509Certificate, type KeyObject } from 'node:crypto';
import { isIP } from 'node:net';
import { bits, bool, explicit, implicit, integer, octets, oid, seq, set, time, utf8 } from './der.js';

const ECDSA_SHA256 = seq(oid('1.2.840.10045.4.3.2'));
export const LEAF_LIFETIME_MS = 60 * 60 * 1000;
/** Long enough that a person who chose to trust the CA does not have to do it again soon. */
export const CA_LIFETIME_MS = 10 * 365 * 24 * 3600 * 1000;

export interface CaKey {
  readonly privateKey: KeyObject;
  /** SubjectPublicKeyInfo, DER. */
  readonly spki: Buffer;
}

export function newP256Key(): CaKey {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  return { privateKey, spki: publicKey.export({ format: 'der', type: 'spki' }) };
}

/** RFC 5280 §4.2.1.2 method 1: SHA-1 of the subjectPublicKey bits (an uncompressed P-256 point ends the SPKI). */
function keyId(spki: Buffer): Buffer {
  return createHash('sha1').update(spki.subarray(spki.length - 65)).digest();
}

const name = (cn: string): Buffer => seq(set(seq(oid('2.5.4.3'), utf8(cn))));
const extension = (id: string, critical: boolean, value: Buffer): Buffer => seq(oid(id), ...(critical ? [bool(true)] : []), octets(value));

function certificate(subject: string, issuer: string, subjectSpki: Buffer, issuerKey: KeyObject, notAfter: Date, extensions: Buffer[]): Buffer {
  const tbs = seq(
    explicit(0, integer(Buffer.from([2]))),
    integer(Buffer.concat([Buffer.from([0x40]), randomBytes(15)])),
    ECDSA_SHA256,
    name(issuer),
    seq(time(new Date(Date.now() - 5 * 60 * 1000)), time(notAfter)),
    name(subject),
    subjectSpki,
    explicit(3, seq(...extensions)),
  );
  return seq(tbs, ECDSA_SHA256, bits(sign('sha256', tbs, issuerKey)));
}

export function toPem(der: Buffer, label = 'CERTIFICATE'): string {
  return `-----BEGIN ${label}-----\n${(der.toString('base64').match(/.{1,64}/g) ?? []).join('\n')}\n-----END ${label}-----\n`;
}

/** The self-signed CA certificate for `key`, named `cn`. */
export function caCertificate(key: CaKey, cn: string, lifetimeMs = CA_LIFETIME_MS): string {
  return toPem(
    certificate(cn, cn, key.spki, key.privateKey, new Date(Date.now() + lifetimeMs), [
      extension('2.5.29.19', true, seq(bool(true), integer(Buffer.from([0])))), // CA, no intermediates below it
      extension('2.5.29.15', true, bits(Buffer.from([0x06]))), // keyCertSign, cRLSign
      extension('2.5.29.14', false, octets(keyId(key.spki))),
    ]),
  );
}

/** A host name or IP literal as a subjectAltName (iPAddress for IPv4, dNSName otherwise). */
function altName(host: string): Buffer {
  return isIP(host) === 4 ? implicit(7, Buffer.from(host.split('.').map(Number))) : implicit(2, Buffer.from(host, 'ascii'));
}

export class CertificateAuthority {
  readonly #leaves = new Map<string, { cert: string; key: string; expires: number }>();
  readonly #cn: string;

  /** `certPem` must be the self-signed certificate of `key` (checked by the caller that loaded it). */
  constructor(
    readonly key: CaKey,
    readonly certPem: string,
  ) {
    this.#cn = new X509Certificate(certPem).subject.replace(/^CN=/, '');
  }

  /** A fresh CA with a random key, in memory (test servers' own CAs). */
  static create(cn = `Valetkey test CA ${randomBytes(4).toString('hex')}`): CertificateAuthority {
    const key = newP256Key();
    return new CertificateAuthority(key, caCertificate(key, cn));
  }

  /** A one-hour leaf for `host` over a public key someone else holds (SPKI, DER). */
  issueLeaf(host: string, spki: Buffer, lifetimeMs = LEAF_LIFETIME_MS): { cert: string; expires: number } {
    const publicKey = createPublicKey({ key: spki, format: 'der', type: 'spki' });
    const der = publicKey.export({ format: 'der', type: 'spki' });
    const expires = Date.now() + lifetimeMs;
    const cert = certificate(host, this.#cn, der, this.key.privateKey, new Date(expires), [
      extension('2.5.29.19', true, seq()),
      extension('2.5.29.15', true, bits(Buffer.from([0x80]))), // digitalSignature
      extension('2.5.29.37', false, seq(oid('1.3.6.1.5.5.7.3.1'))), // serverAuth
      extension('2.5.29.17', false, seq(altName(host))),
      extension('2.5.29.35', false, seq(implicit(0, keyId(this.key.spki)))),
    ]);
    return { cert: toPem(cert), expires };
  }

  /** A leaf with a fresh key of its own, reused until 5 minutes before it expires (servers in tests). */
  leafFor(host: string): { cert: string; key: string } {
    const cached = this.#leaves.get(host);
    if (cached !== undefined && cached.expires - Date.now() > 5 * 60 * 1000) return cached;
    const leafKey = newP256Key();
    const made = { ...this.issueLeaf(host, leafKey.spki), key: leafKey.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString() };
    this.#leaves.set(host, made);
    return made;
  }
}
