/**
 * The token wizard's tool snippets (git over HTTPS, SSH agent, HTTPS proxy), each run verbatim by
 * `sh` in another directory against a real engine, as the Shell snippet's test does: `valetkey`
 * and `git-credential-valetkey` come from PATH (as `npm link` puts them there), HOME is that
 * directory (git's global config), and the hosts and keys are the vault's own.
 */
import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CertificateAuthority } from '../../src/core/proxy-ca/certificate-authority.js';
import { toolSnippets, type ToolExamples } from '../../src/renderer/lib/tool-snippets.js';
import { VALETKEY, cliEnv, type DaemonProcess } from '../helpers/cli.js';
import { startHttpsUpstream, type HttpsUpstream } from '../helpers/https-upstream.js';
import { tempHome } from '../helpers/temp-home.js';
import { AS_PERSON, NO_DBUS, ok, startEngine } from '../helpers/tool-fixture.js';

const GIT_PASSWORD = 'ghp_snippet-7781';
const API_KEY = 'sk_snippet_5519';

describe('the tool snippets', { timeout: 240_000 }, () => {
  const home = tempHome('vk-tsnip-');
  const elsewhere = mkdtempSync(join(tmpdir(), 'vk-tsnip-cwd-'));
  let daemon: DaemonProcess;
  let upstream: HttpsUpstream;
  let apiHost = '';
  let publicKey = '';

  async function code(vault: string, action: '--read' | '--use'): Promise<string> {
    const r = await ok(home.dir, ['token', 'create', '--name', 'coding-agent', '--vault', vault, action, '--lifespan', '1h', '--json'], AS_PERSON);
    return (JSON.parse(r.stdout) as { enrollmentCode: string }).enrollmentCode;
  }

  function runSnippet(snippet: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
    const env = { ...cliEnv(home.dir, NO_DBUS), PATH: `${elsewhere}:${process.env.PATH ?? ''}`, HOME: elsewhere, GIT_CONFIG_NOSYSTEM: '1', GIT_TERMINAL_PROMPT: '0' };
    return new Promise((resolve) => {
      const child = spawn('sh', ['-c', snippet], { cwd: elsewhere, env, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.on('close', (c) => resolve({ code: c, stdout, stderr }));
    });
  }

  beforeAll(async () => {
    const testCa = CertificateAuthority.create();
    const caFile = join(home.dir, 'upstream-ca.pem');
    writeFileSync(caFile, testCa.certPem);
    upstream = await startHttpsUpstream(testCa, (req, res) => {
      res.writeHead(req.headers.authorization === `Bearer ${API_KEY}` ? 200 : 401).end(`seen ${req.headers.authorization ?? 'nothing'}\n`);
    });
    apiHost = upstream.host;
    daemon = await startEngine(home.dir, { NODE_EXTRA_CA_CERTS: caFile });
    await ok(home.dir, ['vault', 'create', 'Code'], AS_PERSON);
    await ok(home.dir, ['item', 'add', 'Code', 'Forge', '--username', 'my-bot', '--allowed-host', 'git.example.test'], { ...AS_PERSON, input: `${AS_PERSON.input}${GIT_PASSWORD}\n` });
    await ok(home.dir, ['vault', 'create', 'Ops'], AS_PERSON);
    await ok(home.dir, ['item', 'add', 'Ops', 'API', '--kind', 'api_key', '--allowed-host', apiHost, '--inject', 'Authorization: Bearer {value}'], { ...AS_PERSON, input: `${AS_PERSON.input}${API_KEY}\n` });
    const made = await ok(home.dir, ['item', 'add', 'Ops', 'Deploy key', '--kind', 'ssh_key', '--generate', '--comment', 'deploy@snippet', '--json'], AS_PERSON);
    publicKey = (JSON.parse(made.stdout) as { publicKey: string }).publicKey;
    // What `npm link` installs: commands on PATH that run this checkout's bin/valetkey.cjs.
    writeFileSync(join(elsewhere, 'valetkey'), `#!/bin/sh\nexec "${process.execPath}" "${VALETKEY}" "$@"\n`);
    writeFileSync(join(elsewhere, 'git-credential-valetkey'), `#!/bin/sh\nexec "${process.execPath}" "${VALETKEY}" credential-helper "$@"\n`);
    chmodSync(join(elsewhere, 'valetkey'), 0o755);
    chmodSync(join(elsewhere, 'git-credential-valetkey'), 0o755);
  });

  afterAll(async () => {
    expect(await daemon.stop()).toBe(0);
    await upstream.close();
    home.cleanup();
    rmSync(elsewhere, { recursive: true, force: true });
  });

  const snippets = (c: string, tools: ToolExamples) => toolSnippets(c, tools);

  it('git: the credential helper answers git for the entry\'s allowed host', async () => {
    const r = await runSnippet(snippets(await code('Code', '--read'), { gitHost: 'git.example.test' }).git);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim().split('\n').at(-1)).toBe('username=my-bot');
    expect(r.stdout).not.toContain(GIT_PASSWORD);
  });

  it('ssh: the agent lists the vault\'s SSH key', async () => {
    const r = await runSnippet(snippets(await code('Ops', '--use'), { sshKey: true, proxyHost: apiHost }).ssh);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(publicKey.split(' ').slice(0, 2).join(' '));
  });

  it('proxy: curl reaches the allowed host with the key put in, and sees it redacted', async () => {
    const r = await runSnippet(snippets(await code('Ops', '--use'), { sshKey: true, proxyHost: apiHost }).proxy);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^seen Bearer \[REDACTED:vk:\/\/.+\]$/m);
    expect(r.stdout + r.stderr).not.toContain(API_KEY);
  });

  it('the README\'s coding-agent setup: a read token in profile git for the helper, a use token as default, ssh-agent around run --proxy', async () => {
    const gitCode = await code('Code', '--read');
    const useCode = await code('Ops', '--use');
    const r = await runSnippet([
      `valetkey login --enroll ${gitCode} --profile git`,
      `valetkey login --enroll ${useCode}`,
      'git config --global credential.helper "valetkey --profile git"',
      'export VALETKEY_REASON="fix issue 42"',
      "printf 'protocol=https\\nhost=git.example.test\\n\\n' | git credential fill | grep '^username='",
      `valetkey ssh-agent -- valetkey run --proxy -- sh -c 'ssh-add -L && curl -sS https://${apiHost}/'`,
    ].join('\n'));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('username=my-bot');
    expect(r.stdout).toContain(publicKey.split(' ').slice(0, 2).join(' '));
    expect(r.stdout).toMatch(/^seen Bearer \[REDACTED:vk:\/\/.+\]$/m);
    expect(r.stdout + r.stderr).not.toContain(API_KEY);
  });

  it('names a placeholder, never an unsafe host, when the vault has none', () => {
    const s = toolSnippets('vke_x', { gitHost: 'evil.example; rm -rf ~', sshKey: false });
    expect(s.git).toContain('host=<git host>');
    expect(s.proxy).toContain('https://<api host>/');
    expect(s.ssh).toContain('no SSH key entry yet');
  });
});
