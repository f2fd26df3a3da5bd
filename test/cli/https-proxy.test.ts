/**
 * `valetkey run --proxy` with real clients: curl, Python requests (Debian's python3) and a Node
 * program, through the proxy to a local HTTPS server that checks the injected header and echoes
 * it. The engine trusts that server's test CA through NODE_EXTRA_CA_CERTS given to the engine
 * process only (Node's own variable; production code has no test switch). The echo comes back
 * redacted; the child never sees the key.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CertificateAuthority } from '../../src/core/proxy-ca/certificate-authority.js';
import type { DaemonProcess } from '../helpers/cli.js';
import { runCli } from '../helpers/cli.js';
import { tempHome } from '../helpers/temp-home.js';
import { AS_PERSON, NO_DBUS, auditRows, loginAgent, ok, startEngine } from '../helpers/tool-fixture.js';

const API_KEY = 'sk_live_Proxy/Injected+9931';

describe('valetkey run --proxy', { timeout: 240_000 }, () => {
  const home = tempHome('vk-proxy-');
  let daemon: DaemonProcess;
  let upstream: Server;
  let host = '';
  const seen: string[] = [];
  const agentEnv = { ...NO_DBUS, VALETKEY_PROFILE: 'caller' };
  const viaProxy = (command: readonly string[], extra: readonly string[] = []) =>
    runCli(home.dir, ['run', '--proxy', ...extra, '--reason', 'check the balance', '--', ...command], { env: agentEnv });

  beforeAll(async () => {
    const testCa = CertificateAuthority.create();
    const caFile = join(home.dir, 'upstream-ca.pem');
    writeFileSync(caFile, testCa.certPem);
    const leaf = testCa.leafFor('127.0.0.1');
    upstream = createServer({ cert: leaf.cert, key: leaf.key }, (req, res) => {
      seen.push(req.headers.authorization ?? '');
      const okay = req.headers.authorization === `Bearer ${API_KEY}`;
      res.writeHead(okay ? 200 : 401, { 'content-type': 'application/json' }).end(JSON.stringify({ path: req.url, echoed: req.headers.authorization ?? null }));
    });
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
    host = `127.0.0.1:${(upstream.address() as AddressInfo).port}`;
    daemon = await startEngine(home.dir, { NODE_EXTRA_CA_CERTS: caFile });
    await ok(home.dir, ['vault', 'create', 'Billing'], AS_PERSON);
    await ok(home.dir, ['item', 'add', 'Billing', 'Payments', '--kind', 'api_key', '--allowed-host', host, '--inject', 'Authorization: Bearer {value}'], { ...AS_PERSON, input: `${AS_PERSON.input}${API_KEY}\n` });
    await loginAgent(home.dir, 'caller', ['--vault', 'Billing', '--use', '--lifespan', '1h']);
  });

  afterAll(async () => {
    expect(await daemon.stop()).toBe(0);
    await new Promise<void>((resolve) => upstream.close(() => resolve()));
    home.cleanup();
  });

  it('curl gets the answer with the injected key redacted; the server saw the real key; audited with the reason', async () => {
    const r = await viaProxy(['curl', '-sS', '--fail', `https://${host}/v1/balance?currency=eur`]);
    expect(r.code, r.stderr).toBe(0);
    const body = JSON.parse(r.stdout) as { path: string; echoed: string };
    expect(body.path).toBe('/v1/balance?currency=eur');
    expect(body.echoed).toMatch(/^Bearer \[REDACTED:vk:\/\/.+\]$/);
    expect(r.stdout + r.stderr).not.toContain(API_KEY);
    expect(seen.at(-1)).toBe(`Bearer ${API_KEY}`);
    const rows = (await auditRows(home.dir, 'secret.use')).filter((row) => row.outcome === 'allowed');
    expect(rows[0]).toMatchObject({ reason: 'check the balance', field: 'api_key', detail: { method: 'GET', host } });
  });

  it('the leaves chain to the data directory\'s CA: curl trusting only <data dir>/proxy-ca.pem gets through, and nothing in that file is private', async () => {
    const caFile = join(home.dir, 'proxy-ca.pem');
    expect(readFileSync(caFile, 'utf8')).not.toMatch(/PRIVATE/);
    const r = await viaProxy(['curl', '-sS', '--fail', '--cacert', caFile, `https://${host}/trusted`]);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ path: '/trusted', echoed: expect.stringMatching(/REDACTED/) });
    const other = await viaProxy(['curl', '-sS', '--fail', '--cacert', join(home.dir, 'upstream-ca.pem'), `https://${host}/trusted`]);
    expect(other.code).not.toBe(0);
  });

  it('Python requests (REQUESTS_CA_BUNDLE) and a Node program (NODE_EXTRA_CA_CERTS, CONNECT by hand) get the same', async () => {
    const py = await viaProxy(['/usr/bin/python3', '-c', `import requests; r = requests.post("https://${host}/charge", json={"amount": 5}); print(r.status_code, r.text)`]);
    expect(py.code, py.stderr).toBe(0);
    expect(py.stdout).toMatch(/^200 .*REDACTED/);
    expect(py.stdout).not.toContain(API_KEY);
    // Node 20's fetch has no proxy support; the variables still give a Node program everything it needs.
    const script = [
      'const http = require("node:http"); const tls = require("node:tls");',
      'const proxy = new URL(process.env.HTTPS_PROXY);',
      `http.request({ host: proxy.hostname, port: proxy.port, method: "CONNECT", path: "${host}" }).on("connect", (_res, socket) => {`,
      '  const s = tls.connect({ socket, servername: undefined, host: "127.0.0.1" }, () => s.write("GET /node HTTP/1.1\\r\\nHost: ' + host + '\\r\\nConnection: close\\r\\n\\r\\n"));',
      '  let out = ""; s.on("data", (d) => (out += d)); s.on("end", () => console.log(out.split("\\r\\n\\r\\n")[1]));',
      '}).end();',
    ].join('\n');
    const node = await viaProxy([process.execPath, '-e', script]);
    expect(node.code, node.stderr).toBe(0);
    expect(JSON.parse(node.stdout)).toMatchObject({ path: '/node', echoed: expect.stringMatching(/REDACTED/) });
    expect(node.stdout).not.toContain(API_KEY);
  });
});
