/**
 * A real OpenSSH server for tests: `sshd -D` on 127.0.0.1 and a free high port, with its own
 * Ed25519 host key, an authorized_keys file in a temp directory and StrictModes off. Runs as the
 * current user (root in CI containers); keys only, no passwords.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { userInfo } from 'node:os';
import { join } from 'node:path';

export const SSHD = '/usr/sbin/sshd';

export interface SshServer {
  readonly port: number;
  readonly user: string;
  /** A known_hosts file naming this server's host key, for StrictHostKeyChecking=yes. */
  readonly knownHosts: string;
  /** `SHA256:…` of the host key, as ssh-keygen -l prints it. */
  readonly hostKeyFingerprint: string;
  authorize(publicKeys: readonly string[]): void;
  /** ssh options for this server (port, known_hosts, agent only, no config file). */
  sshArgs(): string[];
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const address = probe.address();
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

export async function startSshServer(dir: string): Promise<SshServer> {
  mkdirSync(dir, { recursive: true });
  mkdirSync('/run/sshd', { recursive: true, mode: 0o755 }); // privilege separation directory
  const hostKey = join(dir, 'host_ed25519');
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'test-host', '-f', hostKey]);
  const hostPub = readFileSync(`${hostKey}.pub`, 'utf8').trim().split(' ').slice(0, 2).join(' ');
  const hostKeyFingerprint = execFileSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', `${hostKey}.pub`], { encoding: 'utf8' }).split(' ')[1] ?? '';
  const authorized = join(dir, 'authorized_keys');
  writeFileSync(authorized, '', { mode: 0o600 });
  const port = await freePort();
  const user = userInfo().username;
  const config = join(dir, 'sshd_config');
  writeFileSync(config, [
    `Port ${port}`, 'ListenAddress 127.0.0.1', `HostKey ${hostKey}`, `AuthorizedKeysFile ${authorized}`, 'StrictModes no',
    'PasswordAuthentication no', 'KbdInteractiveAuthentication no', 'PubkeyAuthentication yes', 'UsePAM no', 'PermitRootLogin prohibit-password',
    `PidFile ${join(dir, 'sshd.pid')}`, `AllowUsers ${user}`, 'LogLevel VERBOSE', '',
  ].join('\n'));
  const knownHosts = join(dir, 'known_hosts');
  writeFileSync(knownHosts, `[127.0.0.1]:${port} ${hostPub}\n`);
  const child = spawn(SSHD, ['-D', '-e', '-f', config], { stdio: ['ignore', 'ignore', 'pipe'] });
  await waitForListening(child);
  return {
    port,
    user,
    knownHosts,
    hostKeyFingerprint,
    authorize: (keys) => writeFileSync(authorized, keys.map((k) => `${k}\n`).join(''), { mode: 0o600 }),
    sshArgs: () => ['-F', '/dev/null', '-p', String(port), '-o', `UserKnownHostsFile=${knownHosts}`, '-o', 'StrictHostKeyChecking=yes', '-o', 'BatchMode=yes', '-o', 'IdentityFile=none'],
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

function waitForListening(child: ChildProcess): Promise<void> {
  return new Promise((resolve, reject) => {
    let log = '';
    child.stderr?.on('data', (d: Buffer) => {
      log += d.toString();
      if (log.includes('Server listening')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`sshd exited (${code}):\n${log}`)));
  });
}
