/** What every command gets: where the data lives, how to reach the engine, how to ask and print. */
import type { AdminApi, GrantProof } from '../shared/admin-api.js';
import { createHttpAdminClient } from '../shared/admin-client/http-admin-client.js';
import { dataPaths, defaultDataDir, type DataPaths } from '../core/config/data-dir.js';
import { readAdminInfo } from '../core/daemon/admin-info.js';
import type { Prompter } from './prompt.js';
import { verifyEngine } from './engine-check.js';

export interface CliContext {
  readonly paths: DataPaths;
  readonly json: boolean;
  readonly prompter: Prompter;
  out(text: string): void;
  err(text: string): void;
  /** Print a value: JSON with --json, otherwise the given human form. */
  print(value: unknown, human: () => string): void;
  admin(): AdminApi;
  /** Ask the person for the admin passphrase (hidden). */
  grant(): Promise<GrantProof>;
}

export function createCliContext(options: { home: string | undefined; json: boolean; prompter: Prompter }): CliContext {
  const paths = dataPaths(options.home ?? defaultDataDir());
  let client: AdminApi | undefined;
  const ctx: CliContext = {
    paths,
    json: options.json,
    prompter: options.prompter,
    out: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
    err: (text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
    print: (value, human) => ctx.out(options.json ? JSON.stringify(value, null, 2) : human()),
    admin: () => {
      if (!client) {
        const info = readAdminInfo(paths.adminInfo);
        let verified: Promise<void> | undefined;
        // Once per process, before the first call that carries the passphrase.
        const beforeGrant = (): Promise<void> => (verified ??= verifyEngine(paths.dataDir, info.socketPath, api));
        const api = createHttpAdminClient({ socketPath: info.socketPath, sessionSecret: info.sessionSecret, beforeGrant });
        client = api;
      }
      return client;
    },
    grant: async () => ({ passphrase: await options.prompter.ask('Admin passphrase: ', { hidden: true }) }),
  };
  return ctx;
}
