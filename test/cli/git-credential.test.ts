/**
 * `git push` over HTTP to a real git server (git http-backend behind basic auth on loopback), with
 * `credential.helper=valetkey`: git finds `git-credential-valetkey` on PATH, which asks the engine
 * for the login of the entry allowed for that host. Nothing but git holds the password.
 */
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DaemonProcess } from '../helpers/cli.js';
import { startGitHttpServer, type GitHttpServer } from '../helpers/git-http-server.js';
import { tempHome } from '../helpers/temp-home.js';
import { AS_PERSON, BIN_DIR, NO_DBUS, auditRows, loginAgent, ok, run, startEngine } from '../helpers/tool-fixture.js';

const PASSWORD = 'gitpass/Secret+7731';

describe('git credential helper', { timeout: 180_000 }, () => {
  const home = tempHome('vk-git-');
  let daemon: DaemonProcess;
  let server: GitHttpServer;
  let work = '';
  let gitEnv: NodeJS.ProcessEnv = {};

  beforeAll(async () => {
    server = await startGitHttpServer(join(home.dir, 'srv'), 'repo.git', { username: 'builder', password: PASSWORD });
    daemon = await startEngine(home.dir);
    await ok(home.dir, ['vault', 'create', 'Code'], AS_PERSON);
    await ok(home.dir, ['item', 'add', 'Code', 'Forge', '--username', 'builder', '--allowed-host', server.host], { ...AS_PERSON, input: `${AS_PERSON.input}${PASSWORD}\n` });
    await loginAgent(home.dir, 'coder', ['--vault', 'Code', '--read', '--lifespan', '1h']);
    // git maps `credential.helper=valetkey` to a `git-credential-valetkey` program on PATH, as npm installs it.
    const path = join(home.dir, 'path');
    mkdirSync(path);
    symlinkSync(join(BIN_DIR, 'git-credential-valetkey.mjs'), join(path, 'git-credential-valetkey'));
    work = join(home.dir, 'work');
    gitEnv = {
      ...process.env,
      ...NO_DBUS,
      PATH: `${path}:${process.env.PATH ?? ''}`,
      HOME: home.dir,
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_TERMINAL_PROMPT: '0',
      VALETKEY_HOME: home.dir,
      VALETKEY_PROFILE: 'coder',
      VALETKEY_REASON: 'push the release branch',
    };
    mkdirSync(work);
    const git = (...args: string[]) => run('git', args, { cwd: work, env: gitEnv });
    await git('init', '--quiet', '--initial-branch=main');
    writeFileSync(join(work, 'README'), 'hello\n');
    await git('add', 'README');
    await git('-c', 'user.name=Agent', '-c', 'user.email=agent@example.test', 'commit', '--quiet', '-m', 'first');
  });

  afterAll(async () => {
    expect(await daemon.stop()).toBe(0);
    await server.close();
    home.cleanup();
  });

  it('git push over HTTP gets the login from the entry allowed for the host, audited as a read with the reason', async () => {
    const push = await run('git', ['-c', 'credential.helper=valetkey', 'push', server.url, 'main'], { cwd: work, env: gitEnv });
    expect(push.code, push.stderr).toBe(0);
    expect(server.authorizations).toContain(`Basic ${Buffer.from(`builder:${PASSWORD}`).toString('base64')}`);
    const log = await run('git', ['--git-dir', join(home.dir, 'srv', 'repo.git'), 'log', '--format=%s', 'main'], { env: gitEnv });
    expect(log.stdout.trim()).toBe('first');
    expect(push.stdout + push.stderr).not.toContain(PASSWORD);
    const rows = (await auditRows(home.dir, 'secret.read')).filter((row) => row.outcome === 'allowed');
    expect(rows[0]).toMatchObject({ reason: 'push the release branch', field: 'password', detail: { host: server.host, purpose: 'credential' } });
  });

  it('store and erase never change a vault; get answers the git protocol on standard output', async () => {
    const helper = join(BIN_DIR, 'git-credential-valetkey.mjs');
    const input = `protocol=http\nhost=${server.host}\nusername=builder\npassword=other\n\n`;
    for (const action of ['store', 'erase']) expect((await run(process.execPath, [helper, action], { env: gitEnv, input })).code).toBe(0);
    const items = JSON.parse((await ok(home.dir, ['item', 'list', 'Code', '--json'])).stdout) as { title: string; version: number }[];
    expect(items).toEqual([expect.objectContaining({ title: 'Forge', version: 1 })]);
    const get = await run(process.execPath, [helper, 'get'], { env: gitEnv, input: `protocol=http\nhost=${server.host}\n\n` });
    expect(get.stdout).toBe(`username=builder\npassword=${PASSWORD}\n`);
  });
});
