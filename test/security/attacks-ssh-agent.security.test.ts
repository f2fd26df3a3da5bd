/**
 * `valetkey ssh-agent` refusals (docs/security.md, attacks 65–68), with real OpenSSH against a
 * local sshd: a key outside the scope, the private key asked for by reference, and pause and
 * revocation taking effect on the next signature. Each refusal is an audit row; no private key
 * reaches the agent process's environment, output or files.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sshString, sshUint32 } from '../../src/core/ssh/ssh-wire.js';
import type { DaemonProcess } from '../helpers/cli.js';
import { startSshServer, type SshServer } from '../helpers/sshd-server.js';
import { tempHome } from '../helpers/temp-home.js';
import { AS_PERSON, NO_DBUS, auditRows, loginAgent, ok, run, startEngine, startSshAgent, stopAgentAndEngine } from '../helpers/tool-fixture.js';
import { runCli } from '../helpers/cli.js';
import type { Background } from '../cli/agent-cli-helpers.js';

/** One raw agent-protocol exchange: the reply's message type. */
function agentCall(socket: string, message: Buffer): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = connect(socket);
    let got = Buffer.alloc(0);
    s.on('data', (d: Buffer) => {
      got = Buffer.concat([got, d]);
      if (got.length >= 5 && got.length >= 4 + got.readUInt32BE(0)) {
        s.end();
        resolve(got[4] ?? -1);
      }
    });
    s.on('error', reject);
    s.write(Buffer.concat([sshUint32(message.length), message]));
  });
}

describe('ssh-agent refusals', { timeout: 240_000 }, () => {
  const home = tempHome('vk-sshs-');
  let daemon: DaemonProcess;
  let sshd: SshServer;
  let agent: Background;
  let tokenId = '';
  let usable = '';
  let outside = '';
  const privateKeys: string[] = [];
  let env: NodeJS.ProcessEnv = {};
  const ssh = () => run('ssh', [...sshd.sshArgs(), `${sshd.user}@127.0.0.1`, 'true'], { env });

  async function addKey(vault: string, title: string): Promise<string> {
    const file = join(home.dir, title);
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', title, '-f', file]);
    privateKeys.push(readFileSync(file, 'utf8'));
    await ok(home.dir, ['item', 'add', vault, title, '--kind', 'ssh_key'], { ...AS_PERSON, input: `${AS_PERSON.input}${readFileSync(file, 'utf8')}` });
    return readFileSync(`${file}.pub`, 'utf8').trim();
  }

  beforeAll(async () => {
    sshd = await startSshServer(join(home.dir, 'sshd'));
    daemon = await startEngine(home.dir);
    await ok(home.dir, ['vault', 'create', 'Infra'], AS_PERSON);
    await ok(home.dir, ['vault', 'create', 'Prod'], AS_PERSON);
    usable = await addKey('Infra', 'staging');
    outside = await addKey('Prod', 'production');
    sshd.authorize([usable, outside]);
    tokenId = await loginAgent(home.dir, 'deployer', ['--vault', 'Infra', '--read', '--use', '--lifespan', '1h']);
    let socket: string;
    ({ agent, socket } = await startSshAgent(home.dir, 'deployer', 'deploy'));
    env = { ...process.env, SSH_AUTH_SOCK: socket, HOME: home.dir };
  });

  afterAll(async () => {
    await stopAgentAndEngine(agent, daemon);
    await sshd.stop();
    home.cleanup();
  });

  const refused = async (action = 'secret.use'): Promise<string[]> => (await auditRows(home.dir, action)).filter((r) => r.outcome === 'refused').map((r) => r.errorCode ?? '');

  it('attack 65: a key outside the token\'s scope is not listed, and a signature with it is refused and audited', async () => {
    const list = await run('ssh-add', ['-L'], { env });
    expect(list.stdout).toContain(usable.split(' ')[1]);
    expect(list.stdout).not.toContain(outside.split(' ')[1]);
    const blob = Buffer.from(outside.split(' ')[1] ?? '', 'base64');
    const reply = await agentCall(env.SSH_AUTH_SOCK ?? '', Buffer.concat([Buffer.from([13]), sshString(blob), sshString('data to sign'), sshUint32(0)]));
    expect(reply).toBe(5);
    expect(await refused()).toContain('insufficient_scope');
  });

  it('attack 66: the private key is not reachable by any reference, and is nowhere in the agent process or its files', async () => {
    for (const field of ['sshPrivateKey', 'ssh_private_key', 'private_key', 'ssh_key']) {
      const r = await runCli(home.dir, ['read', `vk://Infra/staging/${field}`, '--reason', 'try'], { env: { ...NO_DBUS, VALETKEY_PROFILE: 'deployer' } });
      expect(r.code).toBe(6);
      expect(r.stdout + r.stderr).not.toContain('PRIVATE KEY');
    }
    // The public key is fine to read.
    expect((await ok(home.dir, ['read', 'vk://Infra/staging/public_key', '--reason', 'copy'], { env: { ...NO_DBUS, VALETKEY_PROFILE: 'deployer' } })).stdout.trim()).toBe(usable);
    expect((await ssh()).code).toBe(0);
    const pid = agent.child.pid ?? 0;
    const environ = readFileSync(`/proc/${pid}/environ`, 'utf8');
    const socketDir = join(env.SSH_AUTH_SOCK ?? '', '..');
    const seen = [environ, agent.stdout(), agent.stderr(), readdirSync(socketDir).join('\n')].join('\n');
    for (const key of privateKeys) {
      const body = key.split('\n').slice(1, -2).join('');
      expect(seen).not.toContain(body.slice(0, 40));
    }
    expect(seen).not.toContain('PRIVATE KEY');
  });

  it('attack 67: agents paused → the next ssh login is refused (agents_paused, audited); resumed → it works again', async () => {
    await ok(home.dir, ['pause'], AS_PERSON);
    const paused = await ssh();
    expect(paused.code).not.toBe(0);
    // ssh asks for the key list first: that call is the one refused.
    expect(await refused('entry.list')).toContain('agents_paused');
    await ok(home.dir, ['resume'], AS_PERSON);
    expect((await ssh()).code).toBe(0);
  });

  it('attack 68: the token revoked → ssh-add lists nothing and the login is refused', async () => {
    await ok(home.dir, ['token', 'revoke', tokenId], AS_PERSON);
    expect((await ssh()).code).not.toBe(0);
    const list = await run('ssh-add', ['-L'], { env });
    expect(list.stdout).not.toContain(usable.split(' ')[1]);
    expect(agent.stderr()).toContain('invalid_token');
  });
});
