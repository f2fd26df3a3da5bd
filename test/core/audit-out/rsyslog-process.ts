/**
 * A real rsyslog (Debian's /usr/sbin/rsyslogd) for the syslog sink tests, run in the foreground as
 * a child process with its own configuration in a temp dir: imtcp on a loopback port, and omfile
 * writing the MSG part (our JSON row) of every `valetkey` message to a file, one per line.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import net, { type AddressInfo } from 'node:net';
import { join } from 'node:path';

export const RSYSLOGD = '/usr/sbin/rsyslogd';

export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export interface Rsyslog {
  readonly port: number;
  readonly output: string;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Seqs of the rows received so far, in the order they arrived. */
  seqs(): number[];
}

export function rsyslog(dir: string, port: number): Rsyslog {
  const conf = join(dir, 'rsyslog.conf');
  const output = join(dir, 'received.log');
  writeFileSync(
    conf,
    [
      `global(workDirectory="${dir}" maxMessageSize="64k")`,
      'module(load="imtcp")',
      `input(type="imtcp" port="${port}" address="127.0.0.1")`,
      'template(name="vkraw" type="string" string="%msg%\\n")',
      'if $app-name == "valetkey" then {',
      `  action(type="omfile" file="${output}" template="vkraw")`,
      '  stop',
      '}',
      '',
    ].join('\n'),
  );
  let child: ChildProcess | undefined;
  let log = '';
  return {
    port,
    output,
    async start() {
      child = spawn(RSYSLOGD, ['-n', '-f', conf, '-i', join(dir, 'rsyslogd.pid')], { stdio: ['ignore', 'pipe', 'pipe'] });
      child.stdout?.on('data', (d: Buffer) => (log += d.toString()));
      child.stderr?.on('data', (d: Buffer) => (log += d.toString()));
      await waitForListener(port, () => (child?.exitCode !== null ? `rsyslogd exited: ${log}` : undefined));
    },
    async stop() {
      const c = child;
      if (c === undefined || c.exitCode !== null) return;
      const exited = new Promise((resolve) => c.once('exit', resolve));
      c.kill('SIGTERM');
      await exited;
      child = undefined;
    },
    seqs() {
      if (!existsSync(output)) return [];
      return readFileSync(output, 'utf8')
        .split('\n')
        .filter((l) => l.trim() !== '')
        .map((l) => (JSON.parse(l.trim()) as { seq: number }).seq);
    },
  };
}

async function waitForListener(port: number, failed: () => string | undefined): Promise<void> {
  const end = Date.now() + 10_000;
  for (;;) {
    const why = failed();
    if (why !== undefined) throw new Error(why);
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.connect(port, '127.0.0.1', () => {
        s.destroy();
        resolve(true);
      });
      s.on('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > end) throw new Error('rsyslogd did not start listening');
    await new Promise((r) => setTimeout(r, 50));
  }
}
