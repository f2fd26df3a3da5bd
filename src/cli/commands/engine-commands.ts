import { existsSync } from 'node:fs';
import { initEngine } from '../../core/engine-init.js';
import { runDaemon } from '../../core/daemon/daemon.js';
import { VkError } from '../../shared/errors.js';
import type { EngineStatus } from '../../shared/model.js';
import { flag, value, type Command } from '../command.js';
import type { CliContext } from '../context.js';

async function isInitialized(database: string): Promise<boolean> {
  if (!existsSync(database)) return false;
  const { default: Database } = await import('better-sqlite3');
  const db = new Database(database, { readonly: true });
  try {
    return db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'settings'").get() !== undefined &&
      db.prepare("SELECT 1 FROM settings WHERE key = 'install_id'").get() !== undefined;
  } finally {
    db.close();
  }
}

function describeStatus(s: EngineStatus): string {
  return [
    `Valetkey ${s.version}`,
    `  state:        ${s.locked ? 'locked' : 'unlocked'}`,
    `  agents:       ${s.agentsPaused ? 'paused' : 'running'}`,
    `  keys:         ${s.keyStorage === 'keychain' ? 'OS keychain' : 'passphrase key file'}`,
    `  data:         ${s.dataDir}`,
  ].join('\n');
}

async function choosePassphrase(ctx: CliContext): Promise<string> {
  const first = await ctx.prompter.ask('Choose an admin passphrase (10+ characters): ', { hidden: true });
  if (process.stdin.isTTY) {
    const again = await ctx.prompter.ask('Repeat it: ', { hidden: true });
    if (again !== first) throw new VkError('invalid_request', 'the two passphrases differ');
  }
  return first;
}

export const engineCommands: readonly Command[] = [
  {
    words: ['init'],
    summary: 'Set up a new Valetkey: keys in the OS keychain (or a passphrase key file) and an admin passphrase',
    usage: '[--key-file] [--if-needed]',
    details:
      'The admin passphrase is what proves a person is there: every grant (creating tokens, approving, unlocking,\n' +
      'revealing or changing secrets) asks for it. With --key-file the keys are kept in a file sealed by that same\n' +
      'passphrase (Argon2id), for machines without an OS keychain; Valetkey then starts locked.',
    options: { 'key-file': { type: 'boolean' }, 'if-needed': { type: 'boolean' } },
    async run(ctx, args) {
      if (flag(args, 'if-needed') && (await isInitialized(ctx.paths.database))) return;
      if (flag(args, 'if-needed')) ctx.err('First run: setting Valetkey up.');
      const passphrase = await choosePassphrase(ctx);
      const keyStorage = flag(args, 'key-file') ? 'key_file' : 'keychain';
      const { installId } = await initEngine({ dataDir: ctx.paths.dataDir, adminPassphrase: passphrase, keyStorage });
      ctx.print({ initialized: true, installId, keyStorage, dataDir: ctx.paths.dataDir }, () =>
        `Valetkey is set up in ${ctx.paths.dataDir} (keys in ${keyStorage === 'keychain' ? 'the OS keychain' : 'the passphrase key file'}).\nStart it with: valetkey daemon`,
      );
    },
  },
  {
    words: ['daemon'],
    summary: 'Run the engine in the foreground until SIGINT/SIGTERM',
    usage: '[--admin-port N] [--headless]',
    options: { 'admin-port': { type: 'string' }, headless: { type: 'boolean' } },
    async run(ctx, args) {
      const port = value(args, 'admin-port');
      await runDaemon({ dataDir: ctx.paths.dataDir, ...(port ? { adminPort: Number.parseInt(port, 10) } : {}) });
    },
  },
  {
    words: ['status'],
    summary: 'Show whether the engine runs, is locked, and where its keys are',
    usage: '',
    async run(ctx) {
      const s = await ctx.admin().status({});
      ctx.print(s, () => describeStatus(s));
    },
  },
  {
    words: ['lock'],
    summary: 'Lock now: forget the master key until a person unlocks',
    usage: '',
    async run(ctx) {
      const s = await ctx.admin().lock({});
      ctx.print(s, () => 'Locked.');
    },
  },
  {
    words: ['unlock'],
    summary: 'Unlock with the admin passphrase',
    usage: '',
    async run(ctx) {
      const passphrase = await ctx.prompter.ask('Admin passphrase: ', { hidden: true });
      const s = await ctx.admin().unlock({ passphrase });
      ctx.print(s, () => 'Unlocked.');
    },
  },
];
