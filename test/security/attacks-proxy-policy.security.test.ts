/**
 * Who decides what the HTTPS proxy does (docs/security.md, attacks 99–101): the person, per token
 * (`token create --proxy-other-hosts refuse`), enforced by the engine on every CONNECT and covered
 * by the token row's MAC; the agent's proxy may only refuse more. A revoked token or one whose scope
 * misses the entry gets no secret put in, and two entries injecting for one host put in neither.
 * Real daemon, real curl, real HTTPS upstreams whose test CA the engine trusts (NODE_EXTRA_CA_CERTS
 * given to the engine process only).
 */
import BetterSqlite3 from 'better-sqlite3';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CertificateAuthority } from '../../src/core/proxy-ca/certificate-authority.js';
import { runCli, startDaemonProcess, type DaemonProcess } from '../helpers/cli.js';
import { startAuthEcho, type AuthEcho } from '../helpers/https-upstream.js';
import { tempHome } from '../helpers/temp-home.js';
import { AS_PERSON, NO_DBUS, auditRows, loginAgent, ok, startEngine } from '../helpers/tool-fixture.js';

const KEY = 'sk_live_Policy/Key+5521';

describe('the proxy policy is the person\'s, per token', { timeout: 300_000 }, () => {
  const home = tempHome('vk-proxyp-');
  const caFile = join(home.dir, 'upstream-ca.pem');
  // What curl trusts: the upstreams' own CA (tunnelled) and the data directory's (intercepted).
  const trusted = join(home.dir, 'trusted.pem');
  let daemon: DaemonProcess;
  let api: AuthEcho;
  let other: AuthEcho;
  let shared: AuthEcho;
  const ids: Record<string, string> = {};
  const curl = (profile: string, url: string, extra: readonly string[] = []) =>
    runCli(home.dir, ['run', '--proxy', ...extra, '--reason', 'policy test', '--', 'curl', '-sS', '--cacert', trusted, url], { env: { ...NO_DBUS, VALETKEY_PROFILE: profile } });
  const refusedConnects = async (tokenId: string) =>
    (await auditRows(home.dir, 'proxy.connect')).filter((r) => r.tokenId === tokenId && r.outcome === 'refused').map((r) => r.errorCode);

  beforeAll(async () => {
    const testCa = CertificateAuthority.create();
    writeFileSync(caFile, testCa.certPem);
    [api, other, shared] = [await startAuthEcho(testCa), await startAuthEcho(testCa), await startAuthEcho(testCa)];
    daemon = await startEngine(home.dir, { NODE_EXTRA_CA_CERTS: caFile });
    writeFileSync(trusted, testCa.certPem + readFileSync(join(home.dir, 'proxy-ca.pem'), 'utf8'));
    await ok(home.dir, ['vault', 'create', 'Ops'], AS_PERSON);
    const add = (title: string, host: string) =>
      ok(home.dir, ['item', 'add', 'Ops', title, '--kind', 'api_key', '--allowed-host', host, '--inject', 'Authorization: Bearer {value}'], { ...AS_PERSON, input: `${AS_PERSON.input}${KEY}\n` });
    await add('Api', api.host);
    await add('Shared one', shared.host);
    await add('Shared two', shared.host);
    ids.strict = await loginAgent(home.dir, 'strict', ['--vault', 'Ops', '--use', '--lifespan', '1h', '--proxy-other-hosts', 'refuse']);
    ids.open = await loginAgent(home.dir, 'open', ['--vault', 'Ops', '--use', '--lifespan', '1h']);
    ids.narrow = await loginAgent(home.dir, 'narrow', ['--entry', 'Ops/Shared one', '--vault', 'Ops', '--use', '--lifespan', '1h', '--proxy-other-hosts', 'refuse']);
  });

  afterAll(async () => {
    expect(await daemon.stop()).toBe(0);
    for (const u of [api, other, shared]) await u.close();
    home.cleanup();
  });

  it('attack 99: a token the person set to refuse other hosts → every CONNECT to one is refused by the engine (host_not_allowed, audited) whatever the proxy is told; a tunnelling token tunnels, and the proxy may still refuse more', async () => {
    const strict = await curl('strict', `https://${other.host}/`);
    expect(strict.code).not.toBe(0);
    expect(strict.stdout + strict.stderr).not.toContain('auth=');
    const intercepted = await curl('strict', `https://${api.host}/`);
    expect(intercepted.stdout).toMatch(/^auth=Bearer \[REDACTED:vk:\/\/.+\]$/);
    const open = await curl('open', `https://${other.host}/`);
    expect([open.code, open.stdout]).toEqual([0, 'auth=']);
    const narrowed = await curl('open', `https://${other.host}/`, ['--refuse-other-hosts']);
    expect(narrowed.code).not.toBe(0);
    expect(other.seen).toEqual(['(none)']);
    expect(await refusedConnects(ids.strict ?? '')).toEqual(['host_not_allowed']);
    const tunnels = (await auditRows(home.dir, 'proxy.connect')).filter((r) => r.tokenId === ids.open && r.outcome === 'allowed').map((r) => r.detail?.mode);
    expect(tunnels).toContain('tunnel');
  });

  it('attack 100: a token whose scope misses the entry gets no secret put in (refused, audited); two entries injecting for one host → credential_ambiguous, nothing sent; a revoked token → every CONNECT refused (invalid_token, audited)', async () => {
    const narrow = await curl('narrow', `https://${api.host}/`);
    expect(narrow.code).not.toBe(0);
    expect(api.seen).toEqual([`Bearer ${KEY}`]); // only attack 99's intercepted request
    expect(await refusedConnects(ids.narrow ?? '')).toEqual(['host_not_allowed']);
    const ambiguous = await curl('open', `https://${shared.host}/`);
    expect(ambiguous.stdout).toContain('credential_ambiguous');
    expect(shared.seen).toEqual([]);
    // The narrow token reaches one of the two: that one goes in.
    const one = await curl('narrow', `https://${shared.host}/`);
    expect(one.stdout).toMatch(/^auth=Bearer \[REDACTED:vk:\/\/.+\]$/);
    await ok(home.dir, ['token', 'revoke', ids.open ?? ''], AS_PERSON);
    const revoked = await curl('open', `https://${other.host}/`);
    expect(revoked.code).not.toBe(0);
    expect(other.seen).toEqual(['(none)']);
    // Refused when the proxy starts (it asks the engine for the CA before anything else).
    const atStart = (await auditRows(home.dir, 'entry.list')).filter((r) => r.tokenId === ids.open && r.outcome === 'refused').map((r) => r.errorCode);
    expect([...atStart, ...(await refusedConnects(ids.open ?? ''))]).toContain('invalid_token');
    expect(revoked.stderr).toContain('invalid_token');
  });

  it('attack 101: the agent rewrites its token row to tunnel (or clears the setting) → tamper_detected after a restart, nothing tunnelled', async () => {
    expect(await daemon.stop()).toBe(0);
    const db = new BetterSqlite3(join(home.dir, 'valetkey.db'));
    db.prepare("UPDATE tokens SET proxy_other_hosts = 'tunnel' WHERE id = ?").run(ids.strict);
    db.prepare('UPDATE tokens SET proxy_other_hosts = NULL WHERE id = ?').run(ids.narrow);
    db.close();
    daemon = await startDaemonProcess(home.dir, { ...NO_DBUS, NODE_EXTRA_CA_CERTS: caFile });
    await ok(home.dir, ['unlock'], AS_PERSON);
    for (const profile of ['strict', 'narrow']) {
      const r = await curl(profile, `https://${other.host}/`);
      expect(r.code).not.toBe(0);
      expect(r.stdout + r.stderr).toContain('tamper_detected');
    }
    expect(other.seen).toEqual(['(none)']);
    const status = JSON.parse((await ok(home.dir, ['status', '--json'])).stdout) as { tampered?: { table: string; rowId: string }[] };
    expect(status.tampered?.map((t) => t.rowId).sort()).toEqual([ids.narrow, ids.strict].sort());
  });
});
