/**
 * A bench engine ready for agents: a real daemon on a data directory set up with a key file,
 * unlocked through the admin API, with a vault `bench` of 200 logins (one is read), and a way to
 * make enrolled DPoP agents. Used by the load runs and by the profiled run of the request breakdown.
 */
import { join } from 'node:path';
import type { AdminApi, GrantProof } from '../../src/shared/admin-api.js';
import { readAdminInfo } from '../../src/core/daemon/admin-info.js';
import { createHttpAdminClient } from '../../src/shared/admin-client/http-admin-client.js';
import { enroll } from './agent.js';
import { newDpopKey, type DpopKey } from './dpop.js';
import { PASSPHRASE, startEngine, type EngineProcess } from './engine-process.js';
import type { Target } from './load.js';

export const BENCH_REF = 'vk://bench/entry/password';
/** Logins in the bench vault, the one read among them. */
export const VAULT_ENTRIES = 200;

export interface BenchEngine {
  readonly engine: EngineProcess;
  readonly admin: AdminApi;
  readonly grant: GrantProof;
  readonly tcp: Target;
  readonly sock: Target;
  /** The issuer URL (http://127.0.0.1:PORT): the base of DPoP `htu` over TCP. */
  readonly url: string;
  /** RSS before the unlock (keys not loaded) and one second after it. */
  readonly lockedMb: number;
  readonly unlockedMb: number;
  /** An enrollment code for a new read-only token on the bench vault. */
  newCode(name: string): Promise<string>;
  /** A new enrolled agent: its key and access token. */
  newAgent(name: string): Promise<{ key: DpopKey; token: string }>;
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 1000));

export async function startBenchEngine(home: string, options: { nodeArgs?: readonly string[]; createData: boolean }): Promise<BenchEngine> {
  const engine = await startEngine(home, {}, options.nodeArgs ?? []);
  const lockedMb = engine.rssMb();
  const info = readAdminInfo(join(home, 'admin.json'));
  const admin = createHttpAdminClient({ socketPath: info.socketPath, sessionSecret: info.sessionSecret });
  await admin.unlock({ passphrase: PASSPHRASE });
  await settle();
  const unlockedMb = engine.rssMb();
  const { session } = await admin.openGrantSession({ passphrase: PASSPHRASE, minutes: 15 });
  const grant = { session };
  if (options.createData) {
    const vault = await admin.createVault({ grant, vault: { name: 'bench' } });
    // The one read sits among others, as in a person's vault: a read by title must not cost the vault's size.
    for (let i = 0; i < VAULT_ENTRIES; i++) {
      const fields = i === VAULT_ENTRIES / 2 ? { username: 'u', password: 'bench-secret-value' } : { username: `user${i}`, password: `other-${i}` };
      const entry = { title: i === VAULT_ENTRIES / 2 ? 'entry' : `login ${i}`, kind: 'login' as const, fields };
      await admin.createEntry({ grant, vaultId: vault.id, entry });
    }
  }
  const endpoint = (await admin.status({})).agentEndpoint;
  if (!endpoint) throw new Error('no agent endpoint');
  const port = Number(new URL(endpoint.url).port);
  const tcp: Target = { port, host: `127.0.0.1:${port}` };
  const newCode = async (name: string) => (await admin.createToken({ grant, token: { name, vaults: ['bench'], actions: ['read'], lifespanSeconds: 3600 } })).enrollmentCode;
  return {
    engine,
    admin,
    grant,
    tcp,
    sock: { socketPath: endpoint.socketPath, host: 'localhost' },
    url: endpoint.url,
    lockedMb,
    unlockedMb,
    newCode,
    async newAgent(name) {
      const key = newDpopKey();
      return { key, token: await enroll(tcp, endpoint.url, key, await newCode(name), name) };
    },
  };
}
