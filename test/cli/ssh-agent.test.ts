/**
 * `valetkey ssh-agent` with real OpenSSH: `ssh-add -L` lists the keys the token reaches, `ssh` logs
 * into a local sshd, and `git push` goes over SSH to a bare repository, each signature made by the
 * engine and audited with the reason and the server's host key (session-bind@openssh.com).
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { generateEd25519, parseSshPrivateKey, signSsh } from '../../src/core/ssh/ssh-key.js';
import { sshString, sshUint32 } from '../../src/core/ssh/ssh-wire.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DaemonProcess } from '../helpers/cli.js';
import { startSshServer, type SshServer } from '../helpers/sshd-server.js';
import { tempHome } from '../helpers/temp-home.js';
import { AS_PERSON, auditRows, loginAgent, ok, run, startEngine, startSshAgent, stopAgentAndEngine } from '../helpers/tool-fixture.js';
import type { Background } from './agent-cli-helpers.js';

/** Several agent-protocol messages on one connection (binds are per connection): each reply's type. */
function conversation(socket: string, messages: readonly Buffer[]): Promise<number[]> {
  return new Promise((resolve, reject) => {
    const s = connect(socket);
    let got = Buffer.alloc(0);
    const replies: number[] = [];
    s.on('data', (d: Buffer) => {
      got = Buffer.concat([got, d]);
      while (got.length >= 4 && got.length >= 4 + got.readUInt32BE(0)) {
        replies.push(got[4] ?? -1);
        got = got.subarray(4 + got.readUInt32BE(0));
      }
      if (replies.length === messages.length) {
        s.end();
        resolve(replies);
      }
    });
    s.on('error', reject);
    for (const m of messages) s.write(Buffer.concat([sshUint32(m.length), m]));
  });
}

describe('valetkey ssh-agent', { timeout: 240_000 }, () => {
  const home = tempHome('vk-ssh-');
  let daemon: DaemonProcess;
  let sshd: SshServer;
  let agent: Background;
  let generated = '';
  let imported = '';
  let env: NodeJS.ProcessEnv = {};

  beforeAll(async () => {
    sshd = await startSshServer(join(home.dir, 'sshd'));
    daemon = await startEngine(home.dir);
    await ok(home.dir, ['vault', 'create', 'Infra'], AS_PERSON);
    const made = await ok(home.dir, ['item', 'add', 'Infra', 'Deploy key', '--kind', 'ssh_key', '--generate', '--comment', 'deploy@valetkey', '--json'], AS_PERSON);
    generated = (JSON.parse(made.stdout) as { publicKey: string }).publicKey;
    const keyFile = join(home.dir, 'id_ed25519');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'imported', '-f', keyFile]);
    await ok(home.dir, ['item', 'add', 'Infra', 'Imported', '--kind', 'ssh_key'], { ...AS_PERSON, input: `${AS_PERSON.input}${readFileSync(keyFile, 'utf8')}` });
    imported = readFileSync(`${keyFile}.pub`, 'utf8').trim();
    sshd.authorize([generated]);
    await loginAgent(home.dir, 'deployer', ['--vault', 'Infra', '--use', '--lifespan', '1h']);
    let socket: string;
    ({ agent, socket } = await startSshAgent(home.dir, 'deployer', 'deploy 3.2 to staging'));
    env = { ...process.env, SSH_AUTH_SOCK: socket, HOME: home.dir, GIT_CONFIG_NOSYSTEM: '1' };
  });

  afterAll(async () => {
    await stopAgentAndEngine(agent, daemon);
    await sshd.stop();
    home.cleanup();
  });

  it('prints SSH_AUTH_SOCK in a 0700 directory; ssh-add -L lists the generated and the imported key', async () => {
    const socket = env.SSH_AUTH_SOCK ?? '';
    const mode = execFileSync('stat', ['-c', '%a', join(socket, '..')], { encoding: 'utf8' }).trim();
    expect(mode).toBe('700');
    const list = await run('ssh-add', ['-L'], { env });
    expect(list.code, list.stderr).toBe(0);
    const lines = list.stdout.trim().split('\n').map((l) => l.split(' ').slice(0, 2).join(' '));
    expect(lines.sort()).toEqual([generated, imported].map((k) => k.split(' ').slice(0, 2).join(' ')).sort());
    expect(generated).toMatch(/^ssh-ed25519 AAAA[A-Za-z0-9+/=]+ deploy@valetkey$/);
  });

  it('ssh logs into a real sshd with the engine signing, audited with the reason and the host key', async () => {
    const login = await run('ssh', [...sshd.sshArgs(), `${sshd.user}@127.0.0.1`, 'echo', 'signed-in'], { env });
    expect(login.code, login.stderr).toBe(0);
    expect(login.stdout.trim()).toBe('signed-in');
    const rows = (await auditRows(home.dir, 'secret.use')).filter((row) => row.outcome === 'allowed');
    expect(rows[0]).toMatchObject({ reason: 'deploy 3.2 to staging', field: 'ssh_key', detail: { purpose: 'ssh-sign', hostKey: sshd.hostKeyFingerprint, user: sshd.user } });
  });

  it('git push over SSH to a bare repository', async () => {
    const bare = join(home.dir, 'remote.git');
    execFileSync('git', ['init', '--quiet', '--bare', '--initial-branch=main', bare]);
    const work = join(home.dir, 'work');
    mkdirSync(work);
    const git = (...args: string[]) => run('git', args, { cwd: work, env: { ...env, GIT_SSH_COMMAND: ['ssh', ...sshd.sshArgs()].join(' ') } });
    await git('init', '--quiet', '--initial-branch=main');
    writeFileSync(join(work, 'file.txt'), 'deployed\n');
    await git('add', 'file.txt');
    await git('-c', 'user.name=Agent', '-c', 'user.email=agent@example.test', 'commit', '--quiet', '-m', 'over ssh');
    const push = await git('push', `ssh://${sshd.user}@127.0.0.1:${sshd.port}${bare}`, 'main');
    expect(push.code, push.stderr).toBe(0);
    expect(execFileSync('git', ['--git-dir', bare, 'log', '--format=%s', 'main'], { encoding: 'utf8' }).trim()).toBe('over ssh');
  });

  it('answers session-bind as OpenSSH\'s ssh-agent does: a forged one FAILURE, a verified one SUCCESS, a second after an authentication bind FAILURE', async () => {
    const host = parseSshPrivateKey(generateEd25519('host'));
    const impostor = parseSshPrivateKey(generateEd25519('impostor'));
    const bind = (signer: typeof host, sessionId: Buffer) =>
      Buffer.concat([Buffer.from([27]), sshString('session-bind@openssh.com'), sshString(host.blob), sshString(sessionId), sshString(signSsh(signer, sessionId, 0)), Buffer.from([0])]);
    const [a, b, c] = [randomBytes(32), randomBytes(32), randomBytes(32)];
    expect(await conversation(env.SSH_AUTH_SOCK ?? '', [bind(impostor, a), bind(host, b), bind(host, b), bind(host, c)])).toEqual([5, 6, 5, 5]);
  });
});
