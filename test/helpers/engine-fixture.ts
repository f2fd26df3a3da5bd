/**
 * A real engine on a real SQLite file in a temp directory, for in-process tests of engine
 * services. It uses the passphrase key file (with Argon2id INTERACTIVE limits, to keep tests
 * quick) so it runs with or without a D-Bus session; the keychain path has its own tests, and
 * `valetkey init --key-file` at MODERATE has the CLI and daemon tests (test/core/daemon, test/e2e).
 */
import { cpSync } from 'node:fs';
import sodium from 'libsodium-wrappers-sumo';
import { createAdminService } from '../../src/core/admin-handlers.js';
import type { AdminService } from '../../src/core/admin/admin-service.js';
import { dataPaths } from '../../src/core/config/data-dir.js';
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
  /**
   * The admin API as the app's own window sees a click: a person is there, so grants need no
   * passphrase and cost no Argon2id. For fixtures' set-up; tests of grants use `admin`.
   */
  readonly person: AdminApi;
  readonly grant: { readonly passphrase: string };
  readonly dir: string;
  close(): Promise<void>;
}

/**
 * The key file where `valetkey init --key-file` puts it, sealed with Argon2id INTERACTIVE instead
 * of MODERATE. The limits are stored in the file and an engine unlocks with what the file says, so
 * a daemon started on this directory unlocks at INTERACTIVE too; the shipped code never writes them.
 */
export function fastKeyFile(dataDir: string): PassphraseFileKeyStore {
  return new PassphraseFileKeyStore(dataPaths(dataDir).keyFile, {
    opslimit: sodium.crypto_pwhash_OPSLIMIT_INTERACTIVE,
    memlimit: sodium.crypto_pwhash_MEMLIMIT_INTERACTIVE,
  });
}

/** What `valetkey init --key-file` does (admin passphrase TEST_PASSPHRASE), with the fast key file. */
export async function initTestDataDir(dataDir: string): Promise<void> {
  await loadSodium();
  await initEngine({ dataDir, adminPassphrase: TEST_PASSPHRASE, keyStorage: 'key_file', keyStore: () => fastKeyFile(dataDir) });
}

/**
 * One data directory per test process, set up by initTestDataDir, that every in-process engine
 * starts from as a copy: set-up costs two Argon2id runs, and in the unit files a copy's unlock is
 * the remembered derivation (argon2id-memo.ts). Copies are like one install restored on several
 * machines: the same keys, install id and agent port setting, each with its own database. A test
 * about two different installs sets up its own with initTestDataDir.
 */
let template: Promise<string> | undefined;

function templateDir(): Promise<string> {
  template ??= (async () => {
    const home = tempHome('vk-tpl-');
    process.once('exit', home.cleanup);
    await initTestDataDir(home.dir);
    return home.dir;
  })();
  return template;
}

export async function openTestEngine(options: Omit<EngineOptions, 'dataDir' | 'keyStore'> = {}): Promise<TestEngine> {
  const home = tempHome('vk-eng-');
  cpSync(await templateDir(), home.dir, { recursive: true });
  const engine = await Engine.open({ ...options, dataDir: home.dir, keyStore: fastKeyFile(home.dir) });
  await engine.unlock(TEST_PASSPHRASE);
  const service = createAdminService(engine);
  const ctx: CallContext = { via: 'in-process', personPresent: false };
  return {
    engine,
    service,
    admin: createInProcessClient(service.dispatch, ctx),
    person: createInProcessClient(service.dispatch, { via: 'in-process', personPresent: true }),
    grant: { passphrase: TEST_PASSPHRASE },
    dir: home.dir,
    close: async () => {
      await engine.close();
      home.cleanup();
    },
  };
}
