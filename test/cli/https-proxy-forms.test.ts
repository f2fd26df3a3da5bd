/**
 * How the secret goes in, per host: one entry allowed for two APIs with different header styles
 * (the entry's setting for one, a host's own for the other), basic auth from a login's username and
 * password, and an entry edited back to its single setting for all hosts. Real curl, Python's urllib
 * and Node through `valetkey run --proxy` to local HTTPS servers that echo what they were sent; the
 * echo comes back redacted, the servers saw the real values.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CertificateAuthority } from '../../src/core/proxy-ca/certificate-authority.js';
import type { DaemonProcess } from '../helpers/cli.js';
import { runCli } from '../helpers/cli.js';
import { startHttpsUpstream, type HttpsUpstream } from '../helpers/https-upstream.js';
import { tempHome } from '../helpers/temp-home.js';
import { AS_PERSON, NO_DBUS, auditRows, loginAgent, ok, startEngine } from '../helpers/tool-fixture.js';

const FORGE_TOKEN = 'ghp_Forge/Token+4410';
const REGISTRY_PASSWORD = 'R3gistry:pass/word';

type Echo = HttpsUpstream & { readonly seen: Record<string, string>[] };

async function echoServer(ca: CertificateAuthority): Promise<Echo> {
  const seen: Record<string, string>[] = [];
  const upstream = await startHttpsUpstream(ca, (req, res) => {
    const got = { path: req.url ?? '', authorization: req.headers.authorization ?? '', apiKey: String(req.headers['x-api-key'] ?? '') };
    seen.push(got);
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(got));
  });
  return { ...upstream, seen };
}

describe('valetkey run --proxy: basic auth and settings per host', { timeout: 240_000 }, () => {
  const home = tempHome('vk-proxyf-');
  let daemon: DaemonProcess;
  let api: Echo;
  let uploads: Echo;
  let registry: Echo;
  const env = { ...NO_DBUS, VALETKEY_PROFILE: 'caller' };
  const viaProxy = (command: readonly string[]) => runCli(home.dir, ['run', '--proxy', '--reason', 'release build', '--', ...command], { env });

  beforeAll(async () => {
    const testCa = CertificateAuthority.create();
    const caFile = join(home.dir, 'upstream-ca.pem');
    writeFileSync(caFile, testCa.certPem);
    [api, uploads, registry] = [await echoServer(testCa), await echoServer(testCa), await echoServer(testCa)];
    daemon = await startEngine(home.dir, { NODE_EXTRA_CA_CERTS: caFile });
    await ok(home.dir, ['vault', 'create', 'Code'], AS_PERSON);
    await ok(home.dir, ['item', 'add', 'Code', 'Forge', '--kind', 'api_key', '--allowed-host', api.host, '--allowed-host', uploads.host, '--inject', 'Authorization: token {value}', '--inject-for', `${uploads.host}=X-Api-Key: {value}`], { ...AS_PERSON, input: `${AS_PERSON.input}${FORGE_TOKEN}\n` });
    await ok(home.dir, ['item', 'add', 'Code', 'Registry', '--username', 'deploy-bot', '--allowed-host', registry.host, '--inject-basic'], { ...AS_PERSON, input: `${AS_PERSON.input}${REGISTRY_PASSWORD}\n` });
    await loginAgent(home.dir, 'caller', ['--vault', 'Code', '--use', '--lifespan', '1h']);
  });

  afterAll(async () => {
    expect(await daemon.stop()).toBe(0);
    for (const e of [api, uploads, registry]) await e.close();
    home.cleanup();
  });

  it('one entry, two APIs: curl gets the entry\'s header style, Python urllib the host\'s own; both echoes redacted', async () => {
    const viaCurl = await viaProxy(['curl', '-sS', '--fail', `https://${api.host}/user`]);
    expect(viaCurl.code, viaCurl.stderr).toBe(0);
    expect(api.seen.at(-1)).toMatchObject({ authorization: `token ${FORGE_TOKEN}`, apiKey: '' });
    expect(JSON.parse(viaCurl.stdout)).toMatchObject({ authorization: expect.stringMatching(/^token \[REDACTED:vk:\/\/.+\]$/) });
    const py = await viaProxy(['/usr/bin/python3', '-c', `import urllib.request; print(urllib.request.urlopen("https://${uploads.host}/upload").read().decode())`]);
    expect(py.code, py.stderr).toBe(0);
    expect(uploads.seen.at(-1)).toMatchObject({ authorization: '', apiKey: FORGE_TOKEN });
    expect(JSON.parse(py.stdout)).toMatchObject({ apiKey: expect.stringMatching(/^\[REDACTED:vk:\/\/.+\]$/) });
    for (const out of [viaCurl, py]) expect(out.stdout + out.stderr).not.toContain(FORGE_TOKEN);
    const hosts = (await auditRows(home.dir, 'secret.use')).filter((r) => r.outcome === 'allowed').map((r) => r.detail?.host);
    expect(hosts).toEqual(expect.arrayContaining([api.host, uploads.host]));
  });

  it('basic auth: the login\'s username and password, base64 as RFC 7617 says; a Node program sees the echo redacted', async () => {
    const script = [
      'const http = require("node:http"); const tls = require("node:tls");',
      'const proxy = new URL(process.env.HTTPS_PROXY);',
      `http.request({ host: proxy.hostname, port: proxy.port, method: "CONNECT", path: "${registry.host}" }).on("connect", (_res, socket) => {`,
      `  const s = tls.connect({ socket, host: "127.0.0.1" }, () => s.write("GET /v2/ HTTP/1.1\\r\\nHost: ${registry.host}\\r\\nAuthorization: Basic bm90OnRoaXM=\\r\\nConnection: close\\r\\n\\r\\n"));`,
      '  let out = ""; s.on("data", (d) => (out += d)); s.on("end", () => console.log(out.split("\\r\\n\\r\\n")[1]));',
      '}).end();',
    ].join('\n');
    const node = await viaProxy([process.execPath, '-e', script]);
    expect(node.code, node.stderr).toBe(0);
    const expected = `Basic ${Buffer.from(`deploy-bot:${REGISTRY_PASSWORD}`).toString('base64')}`;
    // The program's own Authorization header was replaced, not sent alongside.
    expect(registry.seen.at(-1)?.authorization).toBe(expected);
    const echoed = JSON.parse(node.stdout) as { authorization: string };
    expect(echoed.authorization).toMatch(/REDACTED/);
    expect(node.stdout).not.toContain(expected.slice('Basic '.length));
    expect(node.stdout).not.toContain(REGISTRY_PASSWORD);
    const curl = await viaProxy(['curl', '-sS', '--fail', `https://${registry.host}/v2/`]);
    expect(curl.code, curl.stderr).toBe(0);
    expect(registry.seen.at(-1)?.authorization).toBe(expected);
  });

  it('a host\'s own setting removed (--inject-for HOST=): the entry\'s single setting applies to all its hosts again', async () => {
    await ok(home.dir, ['item', 'edit', 'Code', 'Forge', '--inject-for', `${uploads.host}=`], AS_PERSON);
    const r = await viaProxy(['curl', '-sS', '--fail', `https://${uploads.host}/upload`]);
    expect(r.code, r.stderr).toBe(0);
    expect(uploads.seen.at(-1)).toMatchObject({ authorization: `token ${FORGE_TOKEN}`, apiKey: '' });
  });

  it('basic auth on an entry without a username is refused when the person saves it, in words that say what to do', async () => {
    const r = await runCli(home.dir, ['item', 'add', 'Code', 'Nameless', '--kind', 'api_key', '--allowed-host', registry.host, '--inject-basic'], { ...AS_PERSON, input: `${AS_PERSON.input}key-without-user\n` });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/give the entry a username/);
  });

  it('the entry\'s own setting removed (--inject \'\'): no injection is left, and the audit row says it was cleared', async () => {
    await ok(home.dir, ['item', 'edit', 'Code', 'Forge', '--inject', ''], AS_PERSON);
    const entries = JSON.parse((await ok(home.dir, ['item', 'list', 'Code', '--json'])).stdout) as { title: string; injection?: unknown; injectionByHost?: unknown }[];
    const forge = entries.find((e) => e.title === 'Forge');
    expect(forge).toBeDefined();
    expect(forge?.injection).toBeUndefined();
    expect(forge?.injectionByHost).toBeUndefined();
    expect((await auditRows(home.dir, 'entry.update')).map((r) => r.detail)).toContainEqual(expect.objectContaining({ cleared: ['injection'] }));
  });
});
