/**
 * A real Valetkey engine in another process, as an agent meets it: a data directory set up like
 * `valetkey init --key-file` does, `valetkey daemon`, `valetkey unlock` (the passphrase on stdin). No
 * D-Bus is needed (key-file mode). The person's side (vaults, entries, tokens, approvals) goes
 * through the admin HTTP API on the daemon's socket, with the admin passphrase for grants.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PASSPHRASE, runCli, startDaemonProcess, type DaemonProcess } from '../../../../test/helpers/cli.js';
import { initTestDataDir } from '../../../../test/helpers/engine-fixture.js';

export { PASSPHRASE, PROCESS_SETUP_TIMEOUT_MS, ROOT } from '../../../../test/helpers/cli.js';

export const GRANT = { passphrase: PASSPHRASE } as const;

/** No keychain: the key file is chosen explicitly. */
const NO_DBUS = { DBUS_SESSION_BUS_ADDRESS: undefined } as const;

export interface EngineProcess {
  readonly home: string;
  readonly daemon: DaemonProcess;
  /** Calls the admin API as a person would (grants carry the passphrase). */
  admin<T = any>(method: string, params?: Record<string, unknown>): Promise<T>; // eslint-disable-line @typescript-eslint/no-explicit-any -- test convenience
  /** Environment for an agent process: VALETKEY_HOME points at this engine's discovery file. */
  agentEnv(extra?: Record<string, string | undefined>): Record<string, string | undefined>;
  /** The agent endpoint as the discovery file tells it. */
  discovery(): { readonly url: string; readonly socketPath: string };
  stop(): Promise<void>;
}

export async function startEngineProcess(): Promise<EngineProcess> {
  const home = mkdtempSync(join(tmpdir(), 'vk-sdk-'));
  // Set up in this process with an INTERACTIVE key file: the daemon unlocks with the limits stored
  // in it. `valetkey init --key-file` at MODERATE is tested in test/core/daemon and test/e2e.
  await initTestDataDir(home);
  const daemon = await startDaemonProcess(home, NO_DBUS);
  const unlock = await runCli(home, ['unlock'], { input: `${PASSPHRASE}\n`, env: NO_DBUS });
  if (unlock.code !== 0) throw new Error(`valetkey unlock failed: ${unlock.stderr}`);
  const info = JSON.parse(readFileSync(join(home, 'admin.json'), 'utf8')) as { socketPath: string; sessionSecret: string };
  return {
    home,
    daemon,
    admin: (method, params = {}) => adminCall(info, method, params),
    agentEnv: (extra = {}) => ({ VALETKEY_HOME: home, VALETKEY_AGENT_URL: undefined, VALETKEY_AGENT_SOCKET: undefined, VALETKEY_ENROLL_CODE: undefined, ...extra }),
    discovery: () => JSON.parse(readFileSync(join(home, 'discovery.json'), 'utf8')) as { url: string; socketPath: string },
    stop: async () => {
      await daemon.stop();
      rmSync(home, { recursive: true, force: true });
    },
  };
}

function adminCall<T>(info: { socketPath: string; sessionSecret: string }, method: string, params: Record<string, unknown>): Promise<T> {
  const body = Buffer.from(JSON.stringify(params));
  const headers = { host: 'localhost', 'x-valetkey-session': info.sessionSecret, 'content-type': 'application/json', 'content-length': body.length };
  return new Promise((resolve, reject) => {
    const req = request({ socketPath: info.socketPath, method: 'POST', path: `/admin/v1/${method}`, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const result = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { ok: boolean; value?: T; error?: { error: string } };
        if (result.ok) resolve(result.value as T);
        else reject(new Error(`admin ${method} failed: ${result.error?.error ?? 'unknown'}`));
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

export interface Seeded {
  readonly accounting: { readonly id: string; readonly name: string };
  readonly personal: { readonly id: string; readonly name: string };
  readonly bank: { readonly id: string };
  readonly payroll: { readonly id: string };
}

export const SECRETS = { bank: 'b4nk-SDK-s3cret-9431', payroll: 'p4yroll-SDK-key-7702', github: 'ghp-SDK-s3cret-5518' } as const;

/** Accounting (no approval: Bank, Payroll API) and Personal (every access asks: GitHub). */
export async function seed(e: EngineProcess): Promise<Seeded> {
  const accounting = await e.admin('createVault', { grant: GRANT, vault: { name: 'Accounting' } });
  const personal = await e.admin('createVault', { grant: GRANT, vault: { name: 'Personal', approval: { mode: 'every_access' } } });
  const bank = await e.admin('createEntry', {
    grant: GRANT,
    vaultId: accounting.id,
    entry: { title: 'Bank', kind: 'login', fields: { username: 'acme', password: SECRETS.bank }, allowedHosts: ['127.0.0.1'] },
  });
  const payroll = await e.admin('createEntry', { grant: GRANT, vaultId: accounting.id, entry: { title: 'Payroll API', kind: 'api_key', fields: { apiKey: SECRETS.payroll } } });
  await e.admin('createEntry', { grant: GRANT, vaultId: personal.id, entry: { title: 'GitHub', kind: 'api_key', fields: { apiKey: SECRETS.github } } });
  return { accounting, personal, bank, payroll };
}

/** A token made "in the app": its one-time enrollment code and id. */
export async function createToken(e: EngineProcess, token: Record<string, unknown>): Promise<{ code: string; id: string }> {
  const created = await e.admin('createToken', { grant: GRANT, token: { actions: ['read'], lifespanSeconds: 3600, ...token } });
  return { code: created.enrollmentCode as string, id: created.token.id as string };
}

export async function tokenStatus(e: EngineProcess, id: string): Promise<string | undefined> {
  const tokens = (await e.admin('listTokens', { status: 'all' })) as { id: string; status: string }[];
  return tokens.find((t) => t.id === id)?.status;
}

/** Waits until `check` holds (the engine works in another process), at most `ms`. */
export async function eventually<T>(check: () => Promise<T | undefined>, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 100));
  }
}
