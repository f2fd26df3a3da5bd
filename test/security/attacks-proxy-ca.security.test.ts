/**
 * The HTTPS proxy's CA (docs/security.md, attacks 97–98): a certificate planted at
 * <data dir>/proxy-ca.pem is never used (the engine checks the file against its own key, reports
 * and replaces it), and leaves are signed by the engine only for hosts the token may intercept,
 * so the CA key is in no file and no agent process. Real engine, real endpoint, real SQLite.
 */
import { X509Certificate } from 'node:crypto';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Engine } from '../../src/core/engine.js';
import { CertificateAuthority, LEAF_LIFETIME_MS, newP256Key } from '../../src/core/proxy-ca/certificate-authority.js';
import { deriveCaKey, PROXY_CA_FILE } from '../../src/core/proxy-ca/data-dir-ca.js';
import { AgentClient } from '../helpers/agent-client.js';
import { fastKeyFile, openTestEngine, TEST_PASSPHRASE } from '../helpers/engine-fixture.js';
import { enrolledToken, openEndpointFixture, type EndpointFixture } from '../core/endpoint/endpoint-fixture.js';

const spkiOf = (pem: string): Buffer => new X509Certificate(pem).publicKey.export({ format: 'der', type: 'spki' });

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    const s = statSync(path, { throwIfNoEntry: false });
    if (s === undefined) return [];
    return s.isDirectory() ? filesUnder(path) : s.isFile() ? [path] : [];
  });
}

describe('the proxy CA of a data directory', { timeout: 120_000 }, () => {
  const closers: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close();
  });

  it('attack 97: a CA certificate of the agent\'s own key planted in the data directory → reported (tamper_detected, audited, in the status) and replaced; the engine keeps signing with its own key', async () => {
    const t = await openTestEngine();
    closers.push(() => t.close());
    const file = join(t.dir, PROXY_CA_FILE);
    const own = readFileSync(file, 'utf8');
    await t.engine.close();
    const planted = CertificateAuthority.create('Valetkey proxy CA 0badc0de');
    writeFileSync(file, planted.certPem);
    const engine = await Engine.open({ dataDir: t.dir, keyStore: fastKeyFile(t.dir) });
    closers.splice(0, 1, () => engine.close().then(() => t.close().catch(() => undefined)));
    await engine.unlock(TEST_PASSPHRASE);
    expect(engine.status().tampered?.map((r) => `${r.table}:${r.rowId}`)).toEqual([`proxy_ca:${PROXY_CA_FILE}`]);
    await engine.ledger.flush();
    const rows = engine.ledger.query({ action: 'integrity.tamper_detected', limit: 10 }).rows;
    expect(rows.map((r) => r.detail)).toEqual([{ table: 'proxy_ca', rowId: PROXY_CA_FILE }]);
    const now = readFileSync(file, 'utf8');
    expect(spkiOf(now).equals(spkiOf(own))).toBe(true);
    expect(spkiOf(engine.proxyCa().certPem).equals(spkiOf(own))).toBe(true);
    expect(now).not.toContain(planted.certPem.split('\n')[1]);
    // A leaf from the engine chains to its own CA, never to the planted one.
    const leaf = new X509Certificate(engine.proxyCa().issueLeaf('api.example.com', newP256Key().spki).cert);
    expect(leaf.verify(new X509Certificate(own).publicKey)).toBe(true);
    expect(leaf.verify(new X509Certificate(planted.certPem).publicKey)).toBe(false);
  });

  describe('leaves come from the engine', () => {
    let fx: EndpointFixture;
    let agent: AgentClient;
    afterEach(async () => fx.close());

    async function setUp(): Promise<string> {
      fx = await openEndpointFixture();
      agent = await AgentClient.create(fx.tcp);
      await fx.t.admin.updateEntry({ grant: fx.t.grant, vaultId: fx.payroll.vaultId, entryId: fx.payroll.id, changes: { allowedHosts: ['api.payroll.example'], injection: { header: 'Authorization: Bearer {value}' } } });
      // Bank allows a host but has no injection setting: the proxy does not intercept it.
      await fx.t.admin.updateEntry({ grant: fx.t.grant, vaultId: fx.bank.vaultId, entryId: fx.bank.id, changes: { allowedHosts: ['bank.example'] } });
      return (await enrolledToken(fx, agent, { actions: ['use'], proxyOtherHosts: 'refuse' })).accessToken;
    }
    const ask = (token: string, host: string, publicKey: string) => agent.call('POST', '/v1/proxy/connect', { token, json: { host, publicKey } });

    it('attack 98: a leaf for a host the token cannot intercept (tunnelled or refused instead), or over a key that is not P-256 → never issued, refusals audited; the CA key is in no file of the data directory', async () => {
      const token = await setUp();
      const mine = newP256Key().spki.toString('base64');
      const good = await ask(token, 'api.payroll.example', mine);
      expect(good.status, good.text).toBe(200);
      expect(good.body.mode).toBe('intercept');
      const leaf = new X509Certificate(good.body.certificate as string);
      const hosts = await agent.call('GET', '/v1/proxy/hosts', { token });
      expect(hosts.body).toMatchObject({ hosts: ['api.payroll.example'] });
      expect(leaf.verify(new X509Certificate(hosts.body.caCertificate as string).publicKey)).toBe(true);
      expect(Date.parse(leaf.validTo) - Date.now()).toBeLessThanOrEqual(LEAF_LIFETIME_MS);
      for (const host of ['bank.example', 'evil.example', 'api.payroll.example:8443']) {
        const refused = await ask(token, host, mine);
        expect([refused.status, refused.body.error]).toEqual([403, 'host_not_allowed']);
      }
      const rsa = (await import('node:crypto')).generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ format: 'der', type: 'spki' });
      expect((await ask(token, 'api.payroll.example', rsa.toString('base64'))).body.error).toBe('invalid_request');
      // A token that tunnels other hosts gets the word to tunnel, never a leaf for them.
      const tunnelling = (await enrolledToken(fx, agent, { actions: ['use'] })).accessToken;
      expect((await ask(tunnelling, 'evil.example', mine)).body).toEqual({ mode: 'tunnel' });
      const rows = (await fx.auditRows('proxy.connect')).filter((r) => r.outcome === 'refused' || r.detail?.mode === 'intercept');
      expect(rows.filter((r) => r.outcome === 'refused').map((r) => r.errorCode).sort()).toEqual(['host_not_allowed', 'host_not_allowed', 'host_not_allowed', 'invalid_request']);
      expect(rows.filter((r) => r.outcome === 'allowed').map((r) => r.detail?.host)).toEqual(['api.payroll.example']);
      // The CA key derives from the signing seed and is never written: look for it in every form.
      const jwk = deriveCaKey(fx.t.engine.requireSigningSeed()).privateKey.export({ format: 'jwk' });
      const d = Buffer.from(jwk.d ?? '', 'base64url');
      const pkcs8 = deriveCaKey(fx.t.engine.requireSigningSeed()).privateKey.export({ format: 'der', type: 'pkcs8' });
      for (const path of filesUnder(fx.t.dir)) {
        const bytes = readFileSync(path);
        for (const form of [d, Buffer.from(d.toString('hex')), Buffer.from(d.toString('base64')), Buffer.from(jwk.d ?? ''), pkcs8, Buffer.from(pkcs8.toString('base64').slice(0, 60))]) {
          expect(bytes.includes(form), path).toBe(false);
        }
      }
    });
  });
});
