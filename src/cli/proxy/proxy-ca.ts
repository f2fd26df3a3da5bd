/**
 * The proxy's certificate authority: an ECDSA P-256 CA made when the proxy starts, kept in memory
 * only, trusted only by the programs the proxy starts (through the CA bundle variables), never
 * installed system-wide. Leaf certificates are per host and live one hour. Built with node:crypto
 * and a few DER encoders (./der.ts) rather than a certificate library: the needed subset is small.
 */
import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import { isIP } from 'node:net';
import { bits, bool, explicit, implicit, integer, octets, oid, seq, set, time, utf8 } from './der.js';

const ECDSA_SHA256 = seq(oid('1.2.840.10045.4.3.2'));
const LEAF_LIFETIME_MS = 60 * 60 * 1000;

interface KeyPair {
  readonly privateKey: KeyObject;
  readonly spki: Buffer;
}

function newKey(): KeyPair {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  return { privateKey, spki: publicKey.export({ format: 'der', type: 'spki' }) };
}

/** RFC 5280 §4.2.1.2 method 1: SHA-1 of the subjectPublicKey bits. */
function keyId(spki: Buffer): Buffer {
  // The BIT STRING is the SPKI's last element; its contents follow a one-byte "unused bits" count.
  const point = spki.subarray(spki.length - 65);
  return createHash('sha1').update(point).digest();
}

const name = (cn: string): Buffer => seq(set(seq(oid('2.5.4.3'), utf8(cn))));
const extension = (id: string, critical: boolean, value: Buffer): Buffer => seq(oid(id), ...(critical ? [bool(true)] : []), octets(value));

function certificate(subject: string, issuer: string, subjectKey: KeyPair, issuerKey: KeyPair, notAfter: Date, extensions: Buffer[]): Buffer {
  const tbs = seq(
    explicit(0, integer(Buffer.from([2]))),
    integer(Buffer.concat([Buffer.from([0x40]), randomBytes(15)])),
    ECDSA_SHA256,
    name(issuer),
    seq(time(new Date(Date.now() - 5 * 60 * 1000)), time(notAfter)),
    name(subject),
    subjectKey.spki,
    explicit(3, seq(...extensions)),
  );
  return seq(tbs, ECDSA_SHA256, bits(sign('sha256', tbs, issuerKey.privateKey)));
}

export function toPem(der: Buffer, label = 'CERTIFICATE'): string {
  return `-----BEGIN ${label}-----\n${(der.toString('base64').match(/.{1,64}/g) ?? []).join('\n')}\n-----END ${label}-----\n`;
}

export class ProxyCa {
  readonly #key = newKey();
  readonly #name = `Valetkey proxy CA ${randomBytes(4).toString('hex')}`;
  readonly #leaves = new Map<string, { cert: string; key: string; expires: number }>();
  /** PEM of the CA certificate: the bundle the proxied programs trust. */
  readonly certPem: string;

  constructor() {
    const ski = keyId(this.#key.spki);
    const der = certificate(this.#name, this.#name, this.#key, this.#key, new Date(Date.now() + 7 * 24 * 3600 * 1000), [
      extension('2.5.29.19', true, seq(bool(true), integer(Buffer.from([0])))),
      extension('2.5.29.15', true, bits(Buffer.from([0x06]))), // keyCertSign, cRLSign
      extension('2.5.29.14', false, octets(ski)),
    ]);
    this.certPem = toPem(der);
  }

  /** A leaf for one host (name or IP literal), reused until 5 minutes before it expires. */
  leafFor(host: string): { cert: string; key: string } {
    const cached = this.#leaves.get(host);
    if (cached !== undefined && cached.expires - Date.now() > 5 * 60 * 1000) return cached;
    const leaf = newKey();
    const expires = Date.now() + LEAF_LIFETIME_MS;
    const san = isIP(host) === 4 ? implicit(7, Buffer.from(host.split('.').map(Number))) : implicit(2, Buffer.from(host, 'ascii'));
    const der = certificate(host, this.#name, leaf, this.#key, new Date(expires), [
      extension('2.5.29.19', true, seq()),
      extension('2.5.29.15', true, bits(Buffer.from([0x80]))), // digitalSignature
      extension('2.5.29.37', false, seq(oid('1.3.6.1.5.5.7.3.1'))),
      extension('2.5.29.17', false, seq(san)),
      extension('2.5.29.35', false, seq(implicit(0, keyId(this.#key.spki)))),
    ]);
    const made = { cert: toPem(der), key: leaf.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(), expires };
    this.#leaves.set(host, made);
    return made;
  }
}
