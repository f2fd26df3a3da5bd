/**
 * The data directory's CA (src/core/proxy-ca): its key comes from the signing seed and is never
 * written; its certificate is made once and kept at <data dir>/proxy-ca.pem; a file that is not
 * this key's own certificate is replaced and reported; leaves chain to it and live one hour.
 */
import { randomBytes, X509Certificate } from 'node:crypto';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { asSigningSeed } from '../../../src/core/crypto/types.js';
import { CertificateAuthority, LEAF_LIFETIME_MS, newP256Key } from '../../../src/core/proxy-ca/certificate-authority.js';
import { deriveCaKey, loadDataDirCa, PROXY_CA_FILE } from '../../../src/core/proxy-ca/data-dir-ca.js';
import { tempHome } from '../../helpers/temp-home.js';

const seed = asSigningSeed(Buffer.alloc(32, 7));
const homes: { cleanup(): void }[] = [];
function dir(): string {
  const home = tempHome('vk-ca-');
  homes.push(home);
  return home.dir;
}
afterEach(() => homes.splice(0).forEach((h) => h.cleanup()));

describe('the data directory CA', () => {
  it('derives one key per seed, and a different one for another seed', () => {
    expect(deriveCaKey(seed).spki.equals(deriveCaKey(asSigningSeed(Buffer.alloc(32, 7))).spki)).toBe(true);
    expect(deriveCaKey(seed).spki.equals(deriveCaKey(asSigningSeed(randomBytes(32))).spki)).toBe(false);
  });

  it('writes its certificate once (0600, no private key) and keeps it across loads', () => {
    const home = dir();
    const first = loadDataDirCa(home, seed);
    const file = join(home, PROXY_CA_FILE);
    const pem = readFileSync(file, 'utf8');
    expect(first).toMatchObject({ replacedForeign: false });
    expect(pem).toBe(first.ca.certPem);
    expect(pem).not.toMatch(/PRIVATE KEY/);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const cert = new X509Certificate(pem);
    expect(cert.ca).toBe(true);
    expect(cert.publicKey.export({ format: 'der', type: 'spki' }).equals(deriveCaKey(seed).spki)).toBe(true);
    const second = loadDataDirCa(home, seed);
    expect(second.replacedForeign).toBe(false);
    expect(second.ca.certPem).toBe(pem);
  });

  it('signs one-hour leaves for a host over a key it never sees the private half of', () => {
    const { ca } = loadDataDirCa(dir(), seed);
    const leafKey = newP256Key();
    const issued = ca.issueLeaf('api.example.com', leafKey.spki);
    const leaf = new X509Certificate(issued.cert);
    const root = new X509Certificate(ca.certPem);
    expect(leaf.checkIssued(root)).toBe(true);
    expect(leaf.verify(root.publicKey)).toBe(true);
    expect(leaf.ca).toBe(false);
    expect(leaf.subjectAltName).toBe('DNS:api.example.com');
    expect(leaf.publicKey.export({ format: 'der', type: 'spki' }).equals(leafKey.spki)).toBe(true);
    expect(Date.parse(leaf.validTo) - Date.now()).toBeLessThanOrEqual(LEAF_LIFETIME_MS);
    expect(new X509Certificate(ca.issueLeaf('127.0.0.1', leafKey.spki).cert).subjectAltName).toBe('IP Address:127.0.0.1');
  });

  it('replaces, and reports, a certificate of another key or one with a second certificate appended', () => {
    const home = dir();
    const file = join(home, PROXY_CA_FILE);
    const own = loadDataDirCa(home, seed).ca.certPem;
    const foreign = CertificateAuthority.create('Valetkey proxy CA 00000000');
    for (const planted of [foreign.certPem, `${own}${foreign.certPem}`, 'not a certificate']) {
      writeFileSync(file, planted);
      const loaded = loadDataDirCa(home, seed);
      expect(loaded.replacedForeign).toBe(true);
      const now = readFileSync(file, 'utf8');
      expect(now).toBe(loaded.ca.certPem);
      expect(now).not.toContain(foreign.certPem.split('\n')[1]);
      expect(new X509Certificate(now).publicKey.export({ format: 'der', type: 'spki' }).equals(deriveCaKey(seed).spki)).toBe(true);
    }
  });
});
