/**
 * The HTTPS proxy's refusals (docs/security.md, attacks 69–71): a host no entry allows is tunnelled
 * untouched or refused; a denied approval and paused agents stop the request before it leaves,
 * each audited; and nothing a proxied child is given (environment, CA bundle, output) holds the
 * secret, the access token or a private key. Real curl, real engine, real HTTPS upstreams whose
 * test CA the engine trusts through NODE_EXTRA_CA_CERTS given to its process.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CertificateAuthority } from '../../src/core/proxy-ca/certificate-authority.js';
import type { DaemonProcess } from '../helpers/cli.js';
import { runCli } from '../helpers/cli.js';
import { startAuthEcho, type AuthEcho } from '../helpers/https-upstream.js';
import { tempHome } from '../helpers/temp-home.js';
import { AS_PERSON, NO_DBUS, auditRows, loginAgent, ok, startEngine } from '../helpers/tool-fixture.js';
import { startCli, waitForApproval } from '../cli/agent-cli-helpers.js';

const KEY = 'sk_live_Guarded/Key+7710';

describe('https proxy refusals', { timeout: 300_000 }, () => {
  const home = tempHome('vk-proxys-');
  let daemon: DaemonProcess;
  let open: AuthEcho;
  let guarded: AuthEcho;
  let other: AuthEcho;
  let caFile = '';
  const env = { ...NO_DBUS, VALETKEY_PROFILE: 'caller' };
  const curl = (url: string, extra: readonly string[] = [], curlArgs: readonly string[] = []) =>
    runCli(home.dir, ['run', '--proxy', ...extra, '--reason', 'refusal test', '--', 'curl', '-sS', ...curlArgs, url], { env });

  beforeAll(async () => {
    const testCa = CertificateAuthority.create();
    caFile = join(home.dir, 'upstream-ca.pem');
    writeFileSync(caFile, testCa.certPem);
    [open, guarded, other] = [await startAuthEcho(testCa), await startAuthEcho(testCa), await startAuthEcho(testCa)];
    daemon = await startEngine(home.dir, { NODE_EXTRA_CA_CERTS: caFile });
    await ok(home.dir, ['vault', 'create', 'Billing'], AS_PERSON);
    await ok(home.dir, ['vault', 'create', 'Guarded', '--approval', 'every'], AS_PERSON);
    const add = (vault: string, host: string) =>
      ok(home.dir, ['item', 'add', vault, 'Api', '--kind', 'api_key', '--allowed-host', host, '--inject', 'Authorization: Bearer {value}'], { ...AS_PERSON, input: `${AS_PERSON.input}${KEY}\n` });
    await add('Billing', open.host);
    await add('Guarded', guarded.host);
    await loginAgent(home.dir, 'caller', ['--vault', 'Billing', '--vault', 'Guarded', '--use', '--lifespan', '1h']);
  });

  afterAll(async () => {
    expect(await daemon.stop()).toBe(0);
    for (const u of [open, guarded, other]) await u.close();
    home.cleanup();
  });

  it('attack 69: a host no entry allows is tunnelled untouched (no secret added), or refused with --refuse-other-hosts', async () => {
    // The child trusts the other server's own CA: the proxy did not terminate TLS, so its leaf never shows.
    const tunnelled = await curl(`https://${other.host}/`, [], ['--cacert', caFile]);
    expect(tunnelled.code, tunnelled.stderr).toBe(0);
    expect(tunnelled.stdout).toBe('auth=');
    expect(other.seen).toEqual(['(none)']);
    const refused = await curl(`https://${other.host}/`, ['--refuse-other-hosts'], ['--cacert', caFile]);
    expect(refused.code).not.toBe(0);
    expect(other.seen).toEqual(['(none)']);
  });

  it('attack 70: a denied approval and paused agents stop the request before it leaves, each audited', async () => {
    const waiting = startCli(home.dir, ['run', '--proxy', '--reason', 'refusal test', '--', 'curl', '-sS', `https://${guarded.host}/`], { env });
    const approval = await waitForApproval(home.dir);
    await ok(home.dir, ['approvals', 'deny', approval.id], AS_PERSON);
    const denied = await waiting.done;
    expect(denied.stdout).toContain('approval_denied');
    expect(guarded.seen).toEqual([]);
    await ok(home.dir, ['pause'], AS_PERSON);
    const paused = await curl(`https://${open.host}/`);
    expect(paused.stdout + paused.stderr).toMatch(/agents_paused|403/);
    expect(open.seen).toEqual([]);
    await ok(home.dir, ['resume'], AS_PERSON);
    const refusals = (await auditRows(home.dir, 'secret.use')).filter((r) => r.outcome === 'refused').map((r) => r.errorCode);
    expect(refusals).toContain('approval_denied');
    const listRefusals = (await auditRows(home.dir, 'entry.list')).filter((r) => r.outcome === 'refused').map((r) => r.errorCode);
    expect([...refusals, ...listRefusals]).toContain('agents_paused');
  });

  it('attack 97: a CA certificate planted in the data directory while the engine runs → the child trusts the engine\'s CA, not the planted one', async () => {
    const file = join(home.dir, 'proxy-ca.pem');
    const own = readFileSync(file, 'utf8');
    const planted = CertificateAuthority.create('Valetkey proxy CA 0badc0de');
    writeFileSync(file, planted.certPem);
    try {
      const r = await runCli(home.dir, ['run', '--proxy', '--reason', 'refusal test', '--', 'sh', '-c', 'cat "$SSL_CERT_FILE"'], { env });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toContain(own.trim());
      expect(r.stdout).not.toContain(planted.certPem.split('\n')[1]);
      // curl trusting only the planted CA refuses the proxy's leaf: it was signed by the engine's key.
      const refused = await curl(`https://${open.host}/`, [], ['--cacert', file]);
      expect(refused.code).not.toBe(0);
      expect(refused.stdout).not.toContain('auth=');
    } finally {
      writeFileSync(file, own);
    }
  });

  it('attack 71: the child\'s environment, CA bundle and output hold no secret, no access token and no private key', async () => {
    const stored = JSON.parse(readFileSync(join(home.dir, 'agents', 'caller.key.json'), 'utf8')) as { accessToken: string; privateJwk: { d: string } };
    const r = await runCli(home.dir, ['run', '--proxy', '--reason', 'refusal test', '--', 'sh', '-c', `env; cat "$SSL_CERT_FILE"; curl -sS https://${open.host}/`], { env });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('HTTPS_PROXY=http://127.0.0.1:');
    expect(r.stdout).toMatch(/auth=Bearer \[REDACTED:vk:\/\/.+\]/);
    expect(open.seen.at(-1)).toBe(`Bearer ${KEY}`);
    for (const secret of [KEY, stored.accessToken, stored.privateJwk.d, 'PRIVATE KEY']) expect(r.stdout + r.stderr).not.toContain(secret);
  });
});
