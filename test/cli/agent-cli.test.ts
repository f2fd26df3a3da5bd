/**
 * The agent side of the CLI end to end: a real daemon (keys in the real Secret Service), the real
 * `valetkey` program in its own process for every step, a real HTTP server as a fetch target.
 * A person creates a token; the agent logs in with it, reads, runs a child with masked output,
 * injects a template, fetches without seeing the value; the person revokes.
 */
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, type DaemonProcess } from '../helpers/cli.js';
import { startTargetServer, type TargetServer } from '../helpers/target-server.js';
import { keychainAvailability, tempHome } from '../helpers/temp-home.js';
import { asPerson, createToken, ok, setUpEngine, startCli } from './agent-cli-helpers.js';

const keychain = keychainAvailability();
// A space, a slash and a plus: its URL-encoded and base64 forms differ from it.
const SECRET = 'Zq8/unique agent+secret=4471';
const CONCEALED = '<concealed by valetkey>';

describe.skipIf(keychain.skip)(`valetkey agent commands ${keychain.reason}`, { timeout: 240_000 }, () => {
  const home = tempHome('vk-agent-');
  let daemon: DaemonProcess;
  let target: TargetServer;
  let tokenId = '';

  beforeAll(async () => {
    target = await startTargetServer();
    daemon = await setUpEngine(home.dir);
    await ok(home.dir, ['item', 'add', 'Accounting', 'Bank', '--username', 'acme', '--allowed-host', target.host], { input: `${asPerson.input}${SECRET}\n` });
  });

  afterAll(async () => {
    expect(await daemon.stop()).toBe(0);
    await target.close();
    home.cleanup();
  });

  it('token create prints the enrollment code once with the snippet; token list shows it waiting', async () => {
    const created = await createToken(home.dir, 'ci-bot', ['--vault', 'Accounting', '--read', '--use', '--lifespan', '1d']);
    expect(created.code).toMatch(/^vke_[A-Za-z0-9_-]{32,}$/);
    expect(created.snippet).toContain(`valetkey login --enroll ${created.code} --name ci-bot`);
    tokenId = created.id;
    const list = JSON.parse((await ok(home.dir, ['token', 'list', '--json'])).stdout) as { id: string; status: string }[];
    expect(list.find((t) => t.id === tokenId)?.status).toBe('pending_enrollment');
    expect(JSON.stringify(list)).not.toContain(created.code);

    const login = await ok(home.dir, ['login', '--enroll', created.code, '--name', 'ci-bot', '--json']);
    expect(JSON.parse(login.stdout)).toMatchObject({ name: 'ci-bot', profile: 'default', tokenType: 'DPoP', store: 'keychain' });
    // The profile file says who, never holds the key or the token.
    const profile = readFileSync(join(home.dir, 'agents', 'default.json'), 'utf8');
    expect(statSync(join(home.dir, 'agents', 'default.json')).mode & 0o777).toBe(0o600);
    expect(profile).not.toMatch(/"d"|eyJ/);
    const human = await ok(home.dir, ['whoami']);
    expect(human.stdout).toContain('kept in: the OS keychain');
    expect(human.stdout).toContain('scope:   Accounting (read, use)\n');
    expect(human.stdout).toContain('(local time)');
    // The code is single use.
    expect((await runCli(home.dir, ['login', '--enroll', created.code, '--name', 'ci-bot', '--profile', 'again'])).code).toBe(10);
  });

  it('reads a secret with a reason (flag or VALETKEY_REASON), and refuses without one', async () => {
    const r = await ok(home.dir, ['read', 'vk://Accounting/Bank/password', '--reason', 'pay the March invoice']);
    expect(r.stdout).toBe(`${SECRET}\n`);
    const env = await ok(home.dir, ['read', 'vk://Accounting/Bank/username', '-n'], { env: { VALETKEY_REASON: 'check the login' } });
    expect(env.stdout).toBe('acme');
    const none = await runCli(home.dir, ['read', 'vk://Accounting/Bank/password'], { env: { VALETKEY_REASON: undefined } });
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('--reason');
    expect(none.stdout).not.toContain(SECRET);
    const audit = JSON.parse((await ok(home.dir, ['audit', 'list', '--action', 'secret.read', '--json'])).stdout) as { rows: { reason: string; tokenId: string }[] };
    expect(audit.rows.map((row) => row.reason)).toEqual(expect.arrayContaining(['pay the March invoice', 'check the login']));
    expect(audit.rows.every((row) => row.tokenId === tokenId)).toBe(true);
  });

  it('finds the engine by VALETKEY_AGENT_SOCKET, or a socket path in VALETKEY_AGENT_URL, before the discovery file', async () => {
    const { socketPath } = JSON.parse(readFileSync(join(home.dir, 'discovery.json'), 'utf8')) as { socketPath: string };
    const reason = { VALETKEY_REASON: 'check the login' };
    for (const env of [{ VALETKEY_AGENT_SOCKET: socketPath }, { VALETKEY_AGENT_URL: socketPath }, { VALETKEY_AGENT_URL: `unix://${socketPath}` }]) {
      expect((await ok(home.dir, ['read', 'vk://Accounting/Bank/username', '-n'], { env: { ...reason, ...env } })).stdout).toBe('acme');
    }
    // The variable wins over the discovery file: a socket nobody listens on is unreachable, not ignored.
    const gone = await runCli(home.dir, ['read', 'vk://Accounting/Bank/username'], { env: { ...reason, VALETKEY_AGENT_SOCKET: join(home.dir, 'nobody.sock') } });
    expect(gone.stderr).toContain('[engine_unreachable]');
    expect(gone.stdout).toBe('');
  });

  it('run resolves vk:// variables for the child and masks them in its output, even split across writes', async () => {
    const child = [
      'const s = process.env.BANK_PASSWORD;',
      'process.stdout.write("start " + s.slice(0, 6));',
      'setTimeout(() => {',
      '  process.stdout.write(s.slice(6) + "\\n");',
      '  console.log("b64 " + Buffer.from(s).toString("base64"));',
      '  console.log("url " + encodeURIComponent(s));',
      '  console.log("basic " + Buffer.from("acme:" + s).toString("base64"));',
      '  console.error("err " + s);',
      '  console.log("user " + process.env.BANK_USER);',
      '  process.exitCode = 7;',
      '}, 300);',
    ].join('\n');
    const envFile = join(home.dir, 'app.env');
    writeFileSync(envFile, '# the app\nexport BANK_USER="vk://Accounting/Bank/username"\nPLAIN=hello\n');
    const r = await runCli(home.dir, ['run', '--env-file', envFile, '--reason', 'run the billing job', '--', process.execPath, '-e', child], {
      env: { BANK_PASSWORD: 'vk://Accounting/Bank/password' },
    });
    expect(r.code, r.stderr).toBe(7);
    for (const form of [SECRET, Buffer.from(SECRET).toString('base64'), encodeURIComponent(SECRET)]) {
      expect(r.stdout).not.toContain(form);
      expect(r.stderr).not.toContain(form);
    }
    expect(r.stdout).not.toContain(Buffer.from(`acme:${SECRET}`).toString('base64').slice(8, 24));
    expect(r.stdout).toContain(`start ${CONCEALED}\n`);
    expect(r.stdout).toContain(`b64 ${CONCEALED}`);
    expect(r.stdout).toContain(`url ${CONCEALED}`);
    expect(r.stderr).toContain(`err ${CONCEALED}`);
    expect(r.stdout).toContain(`user ${CONCEALED}`);

    const bare = await runCli(home.dir, ['run', '--no-masking', '--reason', 'debug', '--', process.execPath, '-e', 'console.log(process.env.P)'], { env: { P: 'vk://Accounting/Bank/password' } });
    expect(bare.stdout).toBe(`${SECRET}\n`);
  });

  it('inject writes a 0600 file and will not overwrite it without --force', async () => {
    const template = join(home.dir, 'config.tpl');
    const out = join(home.dir, 'config.ini');
    writeFileSync(template, '[bank]\nuser = {{ vk://Accounting/Bank/username }}\npassword = {{vk://Accounting/Bank/password}}\n');
    await ok(home.dir, ['inject', '-i', template, '-o', out, '--reason', 'render the config']);
    expect(readFileSync(out, 'utf8')).toBe(`[bank]\nuser = acme\npassword = ${SECRET}\n`);
    expect(statSync(out).mode & 0o777).toBe(0o600);

    writeFileSync(template, 'changed {{ vk://Accounting/Bank/username }}\n');
    const again = await runCli(home.dir, ['inject', '-i', template, '-o', out, '--reason', 'render the config']);
    expect(again.code).toBe(6);
    expect(readFileSync(out, 'utf8')).toContain(SECRET);
    await ok(home.dir, ['inject', '-i', template, '-o', out, '--force', '--reason', 'render the config']);
    expect(readFileSync(out, 'utf8')).toBe('changed acme\n');
    expect(statSync(out).mode & 0o777).toBe(0o600);
  });

  it('fetch sends the value to the allowed host and shows only the redacted answer', async () => {
    const r = await ok(home.dir, ['fetch', `${target.url}/v1/me`, '-H', 'Authorization: Bearer {{vk://Accounting/Bank/password}}', '--reason', 'check the balance']);
    expect(target.received.at(-1)?.headers.authorization).toBe(`Bearer ${SECRET}`);
    expect(r.stdout).not.toContain(SECRET);
    expect(JSON.parse(r.stdout).headers.authorization).toBe('Bearer [REDACTED:vk://Accounting/Bank/password]');
  });

  it('audit tail follows rows as they are committed, until Ctrl-C', async () => {
    const tail = startCli(home.dir, ['audit', 'tail', '--json', '--lines', '0']);
    await new Promise((resolve) => setTimeout(resolve, 3000)); // let it subscribe
    await ok(home.dir, ['read', 'vk://Accounting/Bank/username', '--reason', 'tail me']);
    await tail.waitFor('"tail me"');
    tail.child.kill('SIGINT');
    const done = await tail.done;
    expect(done.code).toBe(0);
    const row = done.stdout.split('\n').find((l) => l.includes('"tail me"'));
    expect(JSON.parse(row ?? '{}')).toMatchObject({ action: 'secret.read', outcome: 'allowed', agent: 'ci-bot' });
    expect(done.stdout).not.toContain(SECRET);
  });

  it('a second agent without a keychain falls back to a 0600 file; logout revokes and forgets; token revoke stops the first', async () => {
    const created = await createToken(home.dir, 'file-bot', ['--vault', 'Accounting', '--read']);
    // No D-Bus session at all: the login says so and falls back to the file.
    const noBus = { DBUS_SESSION_BUS_ADDRESS: undefined, XDG_RUNTIME_DIR: undefined };
    // A name that is not the token's fails (and does not spend the code); without one, the code names the token.
    const wrong = await runCli(home.dir, ['login', '--enroll', created.code, '--name', 'other-bot', '--profile', 'filebot'], { env: noBus });
    expect([wrong.code, wrong.stderr.includes('[invalid_client]')]).toEqual([10, true]);
    const login = await ok(home.dir, ['login', '--enroll', created.code, '--profile', 'filebot'], { env: noBus });
    expect(login.stderr).toContain('No OS keychain');
    expect(login.stdout).toContain('Logged in as file-bot');
    // The scope by vault name (the token lists its own vaults), not by id.
    expect(login.stdout).toContain('scope:   Accounting (read)\n');
    expect(login.stdout).toContain('0600 file');
    const keyFile = join(home.dir, 'agents', 'filebot.key.json');
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    expect((await ok(home.dir, ['read', 'vk://Accounting/Bank/username', '--profile', 'filebot', '--reason', 'r'])).stdout).toBe('acme\n');
    const out = await ok(home.dir, ['logout', '--profile', 'filebot']);
    expect(out.stdout).toContain('token revoked');
    expect(() => statSync(keyFile)).toThrow();
    const list = JSON.parse((await ok(home.dir, ['token', 'list', '--status', 'revoked', '--json'])).stdout) as { id: string }[];
    expect(list.map((t) => t.id)).toContain(created.id);

    const revoke = await ok(home.dir, ['token', 'revoke', tokenId]);
    expect(revoke.stdout).toContain('Revoked 1 token');
    const after = await runCli(home.dir, ['read', 'vk://Accounting/Bank/password', '--reason', 'after revoke']);
    expect(after.code).toBe(10);
    expect(after.stdout).not.toContain(SECRET);
  });
});
