/**
 * The CA of a data directory (docs/security.md, attacks 97–98). Its private key is derived from
 * the engine's signing seed (HKDF, its own purpose), so it is kept exactly as the seed is (OS
 * keychain or key file), never written anywhere, and only the engine has it. Its certificate (public)
 * sits at `<data dir>/proxy-ca.pem` for a person who chooses to trust it. An agent that can write
 * the data directory can replace that file, but not with a certificate of this key: at unlock the
 * engine checks the file against its key, and one that is not its own is reported (tamper_detected,
 * audited, shown in the status) and replaced. Proxies get the certificate from the engine, never
 * from the file.
 */
import { createECDH, createHash, createPrivateKey, createPublicKey, hkdfSync, X509Certificate } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SigningSeed } from '../crypto/types.js';
import { writeFileAtomic } from '../fs/atomic-file.js';
import { caCertificate, CertificateAuthority, type CaKey } from './certificate-authority.js';

export const PROXY_CA_FILE = 'proxy-ca.pem';
const PURPOSE = 'valetkey proxy ca v1';
// The order of the P-256 group (SEC 2 §2.4.2).
const P256_ORDER = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;
/** A certificate that expires sooner than this is made again (same key, so a person's trust in the key's name still reads the same). */
const RENEW_BEFORE_MS = 30 * 24 * 3600 * 1000;

/** The P-256 key of this seed: 48 bytes of HKDF reduced into [1, n−1] (FIPS 186-5 A.2.1), so the bias is negligible. */
export function deriveCaKey(seed: SigningSeed): CaKey {
  const wide = Buffer.from(hkdfSync('sha256', seed, Buffer.alloc(0), PURPOSE, 48));
  const scalar = (BigInt(`0x${wide.toString('hex')}`) % (P256_ORDER - 1n)) + 1n;
  wide.fill(0);
  const d = Buffer.from(scalar.toString(16).padStart(64, '0'), 'hex');
  const ecdh = createECDH('prime256v1');
  ecdh.setPrivateKey(d);
  const point = ecdh.getPublicKey();
  const jwk = { kty: 'EC', crv: 'P-256', d: d.toString('base64url'), x: point.subarray(1, 33).toString('base64url'), y: point.subarray(33).toString('base64url') };
  d.fill(0);
  const privateKey = createPrivateKey({ key: jwk, format: 'jwk' });
  return { privateKey, spki: createPublicKey(privateKey).export({ format: 'der', type: 'spki' }) };
}

export interface LoadedCa {
  readonly ca: CertificateAuthority;
  /** The file held a certificate that is not this key's (or not a certificate): it was replaced. */
  readonly replacedForeign: boolean;
}

/** The data directory's CA: its certificate from the file when it is this key's own, else a new one written there. */
export function loadDataDirCa(dataDir: string, seed: SigningSeed, now = Date.now()): LoadedCa {
  const key = deriveCaKey(seed);
  const file = join(dataDir, PROXY_CA_FILE);
  const existing = existsSync(file) ? readFileSync(file, 'utf8') : undefined;
  const verdict = existing === undefined ? 'missing' : check(existing, key, now);
  if (verdict === 'ours' && existing !== undefined) return { ca: new CertificateAuthority(key, existing), replacedForeign: false };
  const name = `Valetkey proxy CA ${createHash('sha256').update(key.spki).digest('hex').slice(0, 8)}`;
  const pem = caCertificate(key, name);
  writeFileAtomic(file, pem, { overwrite: true });
  return { ca: new CertificateAuthority(key, pem), replacedForeign: verdict === 'foreign' };
}

/** `ours`: a CA certificate of this key, signed by it, valid for a while yet; `stale`: ours but expiring; else `foreign`. */
function check(pem: string, key: CaKey, now: number): 'ours' | 'stale' | 'foreign' {
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(pem);
  } catch {
    return 'foreign';
  }
  const spki = cert.publicKey.export({ format: 'der', type: 'spki' });
  if (!spki.equals(key.spki) || !cert.ca || !cert.verify(cert.publicKey) || cert.checkIssued(cert) === false) return 'foreign';
  // One certificate only: a file with a second one appended would have programs trust that too.
  if (pem.split('-----BEGIN').length !== 2) return 'foreign';
  return Date.parse(cert.validTo) - now > RENEW_BEFORE_MS ? 'ours' : 'stale';
}
