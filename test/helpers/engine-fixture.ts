/**
 * A real engine on a real SQLite file in a temp directory, for in-process tests of engine
 * services. It uses the passphrase key file (with Argon2id INTERACTIVE limits, to keep tests
 * quick) so it runs with or without a D-Bus session; the keychain path has its own tests.
 */
import { join } from 'node:path';
import sodium from 'libsodium-wrappers-sumo';
import { AdminService } from '../../src/core/admin/admin-service.js';
import { loadSodium } from '../../src/core/crypto/sodium.js';
import { Engine, type EngineOptions } from '../../src/core/engine.js';
import { initEngine } from '../../src/core/engine-init.js';
import { PassphraseFileKeyStore } from '../../src/core/keys/passphrase-file-key-store.js';
import type { AdminApi, CallContext } from '../../src/shared/admin-api.js';
import { createInProcessClient } from '../../src/core/admin/transport/in-process.js';
import { tempHome } from './temp-home.js';

export const TEST_PASSPHRASE = 'correct horse battery staple';

export interface TestEngine {
  readonly engine: Engine;
  readonly service: AdminService;
  /** The admin API as the CLI would see it (no person present: grants need the passphrase). */
  readonly admin: AdminApi;
  readonly grant: { readonly passphrase: string };
  readonly dir: string;
  close(): Promise<void>;
}

export async function openTestEngine(options: Omit<EngineOptions, 'dataDir' | 'keyStore'> = {}): Promise<TestEngine> {
  await loadSodium();
  const home = tempHome('vk-eng-');
  const keyStore = () =>
    new PassphraseFileKeyStore(join(home.dir, 'keys.vkkey'), {
      opslimit: sodium.crypto_pwhash_OPSLIMIT_INTERACTIVE,
      memlimit: sodium.crypto_pwhash_MEMLIMIT_INTERACTIVE,
    });
  await initEngine({ dataDir: home.dir, adminPassphrase: TEST_PASSPHRASE, keyStorage: 'key_file', keyStore });
  const engine = await Engine.open({ ...options, dataDir: home.dir, keyStore: keyStore() });
  await engine.unlock(TEST_PASSPHRASE);
  const service = new AdminService(engine);
  const ctx: CallContext = { via: 'in-process', personPresent: false };
  return {
    engine,
    service,
    admin: createInProcessClient(service.dispatch, ctx),
    grant: { passphrase: TEST_PASSPHRASE },
    dir: home.dir,
    close: async () => {
      await engine.close();
      home.cleanup();
    },
  };
}
