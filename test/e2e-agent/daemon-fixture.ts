/**
 * A real `valetkey daemon` process in keychain mode (gnome-keyring under D-Bus), set up by the
 * CLI as a person would, and the person's admin client: the loopback HTTP admin API over its
 * socket, with the session secret from admin.json and the passphrase for grants.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { readAdminInfo, type AdminInfo } from '../../src/core/daemon/admin-info.js';
import { createHttpAdminClient, type HttpAdminClient } from '../../src/shared/admin-client/http-admin-client.js';
import type { EndpointTarget } from '../helpers/agent-client.js';
import { PASSPHRASE, runCli, startDaemonProcess, type DaemonProcess } from '../helpers/cli.js';
import { tempHome } from '../helpers/temp-home.js';

export interface Discovery {
  readonly issuer: string;
  readonly url: string;
  readonly socketPath: string;
}

export interface DaemonFixture {
  readonly home: string;
  readonly daemon: DaemonProcess;
  /** The person's admin client (the session secret; grants add the passphrase). */
  readonly person: HttpAdminClient;
  readonly grant: { readonly passphrase: string };
  readonly adminInfo: AdminInfo;
  readonly discovery: Discovery;
  readonly tcp: EndpointTarget;
  readonly socket: EndpointTarget;
  close(): Promise<void>;
}

export async function openDaemonFixture(env: Record<string, string> = {}): Promise<DaemonFixture> {
  const home = tempHome('vk-e2e-');
  let daemon: DaemonProcess | undefined;
  try {
    const init = await runCli(home.dir, ['init'], { input: `${PASSPHRASE}\n` });
    expect(init.code, init.stderr).toBe(0);
    daemon = await startDaemonProcess(home.dir, env);
    const adminInfo = readAdminInfo(join(home.dir, 'admin.json'));
    const discovery = JSON.parse(readFileSync(join(home.dir, 'discovery.json'), 'utf8')) as Discovery;
    const running = daemon;
    return {
      home: home.dir,
      daemon,
      person: createHttpAdminClient({ socketPath: adminInfo.socketPath, sessionSecret: adminInfo.sessionSecret }),
      grant: { passphrase: PASSPHRASE },
      adminInfo,
      discovery,
      tcp: { via: 'tcp', port: Number(new URL(discovery.url).port) },
      socket: { via: 'socket', socketPath: discovery.socketPath },
      close: async () => {
        await running.stop();
        home.cleanup();
      },
    };
  } catch (e) {
    await daemon?.stop();
    home.cleanup();
    throw e;
  }
}

/** Poll the admin API until `find` returns something (a prompt appearing for the person). */
export async function waitFor<T>(find: () => Promise<T | undefined>, what: string, timeoutMs = 20_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const found = await find();
    if (found !== undefined) return found;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
