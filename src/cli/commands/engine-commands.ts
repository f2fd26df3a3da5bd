import { VkError } from '../../shared/errors.js';
import type { EngineStatus } from '../../shared/model.js';
import { flag, value, type Command } from '../command.js';
import type { CliContext } from '../context.js';
import { firstRun, isInitialized, keyStorageWords } from './first-run.js';

/**
 * VALETKEY_APPROVAL_TIMEOUT_MS: how long an access waits for a person (a testing and ops knob;
 * default 120 s). A bad value stops the daemon rather than being quietly ignored.
 */
function approvalTimeoutFromEnv(raw: string | undefined): { approvalTimeoutMs?: number } {
  if (raw === undefined || raw === '') return {};
  const ms = Number(raw);
  if (!Number.isSafeInteger(ms) || ms < 100 || ms > 3_600_000) {
    throw new VkError('invalid_request', 'VALETKEY_APPROVAL_TIMEOUT_MS must be a whole number of milliseconds from 100 to 3600000');
  }
  return { approvalTimeoutMs: ms };
}

function describeStatus(s: EngineStatus): string {
  return [
    `Valetkey ${s.version}`,
    `  state:        ${s.locked ? 'locked' : 'unlocked'}`,
    `  agents:       ${s.agentsPaused ? 'paused' : 'running'}`,
    `  keys:         ${s.keyStorage === 'keychain' ? 'OS keychain' : 'passphrase key file'}`,
    `  data:         ${s.dataDir}`,
    ...tamperLines(s),
  ].join('\n');
}

/** Granting rows changed outside Valetkey: they grant nothing, and the person should know which. */
function tamperLines(s: EngineStatus): string[] {
  const tampered = s.tampered ?? [];
  if (tampered.length === 0) return [];
  return [
    `  TAMPERING:    ${tampered.length} record(s) changed outside Valetkey grant nothing (tamper_detected):`,
    ...tampered.map((t) => `                ${t.table} ${t.rowId} (noticed ${new Date(t.detectedAt).toISOString()})`),
  ];
}

/** First run inside `daemon --init-if-needed`: the proven passphrase goes straight to the engine, in memory. */
async function setUpNow(ctx: CliContext, keyFile: boolean): Promise<string> {
  ctx.err('First run: setting Valetkey up.');
  const { keyStorage, passphrase } = await firstRun(ctx, keyFile);
  ctx.err(`Valetkey is set up in ${ctx.paths.dataDir} (keys in ${keyStorageWords(keyStorage)}). Starting it now.`);
  return passphrase;
}

export const engineCommands: readonly Command[] = [
  {
    words: ['init'],
    summary: 'Set up a new Valetkey: keys in the OS keychain (or a passphrase key file) and an admin passphrase',
    usage: '[--key-file] [--if-needed]',
    details:
      'The admin passphrase is what proves a person is there: every grant (creating tokens, approving, unlocking,\n' +
      'revealing or changing secrets) asks for it. Where no OS keychain answers, init says so before asking anything\n' +
      'and offers the key file: a file sealed by that same passphrase (Argon2id); Valetkey then starts locked.\n' +
      '--key-file chooses the key file without asking.',
    options: { 'key-file': { type: 'boolean' }, 'if-needed': { type: 'boolean' } },
    async run(ctx, args) {
      if (flag(args, 'if-needed') && (await isInitialized(ctx.paths.database))) return;
      if (flag(args, 'if-needed')) ctx.err('First run: setting Valetkey up.');
      const { installId, keyStorage } = await firstRun(ctx, flag(args, 'key-file'));
      ctx.print({ initialized: true, installId, keyStorage, dataDir: ctx.paths.dataDir }, () =>
        `Valetkey is set up in ${ctx.paths.dataDir} (keys in ${keyStorageWords(keyStorage)}).\nStart it with: valetkey daemon --headless (or npm start in the repository)`,
      );
    },
  },
  {
    words: ['daemon'],
    summary: 'Run the engine in the foreground until SIGINT/SIGTERM',
    usage: '[--admin-port N] [--headless [--dashboard-port N]] [--init-if-needed [--key-file]] [--accept-older-database]',
    details:
      'With --headless the engine also serves the browser dashboard on 127.0.0.1 and prints a one-time login URL\n' +
      '(valid 10 minutes, single use; `valetkey dashboard-url` prints a fresh one). Grants in the browser still\n' +
      'need the admin passphrase.\n' +
      'With --init-if-needed a first run sets Valetkey up first (as `valetkey init`), and the engine starts\n' +
      'unlocked with the passphrase just chosen, kept in memory only (`npm start` runs it this way).\n' +
      'With --accept-older-database (keys in the OS keychain) a database put back from an earlier copy, which the\n' +
      'engine otherwise refuses (tamper_detected), is accepted after the admin passphrase; the acceptance is audited.',
    options: {
      'admin-port': { type: 'string' },
      headless: { type: 'boolean' },
      'dashboard-port': { type: 'string' },
      'init-if-needed': { type: 'boolean' },
      'key-file': { type: 'boolean' },
      'accept-older-database': { type: 'boolean' },
    },
    async run(ctx, args) {
      const acceptOlder = flag(args, 'accept-older-database') ? await ctx.prompter.ask('Admin passphrase (to accept the older database): ', { hidden: true }) : undefined;
      const port = value(args, 'admin-port');
      const dashboardPort = value(args, 'dashboard-port');
      const setUp = flag(args, 'init-if-needed') && !(await isInitialized(ctx.paths.database)) ? await setUpNow(ctx, flag(args, 'key-file')) : undefined;
      const { runDaemon } = await import('../../core/daemon/daemon.js');
      await runDaemon({
        dataDir: ctx.paths.dataDir,
        ...approvalTimeoutFromEnv(process.env.VALETKEY_APPROVAL_TIMEOUT_MS),
        ...(port ? { adminPort: Number.parseInt(port, 10) } : {}),
        headless: flag(args, 'headless'),
        ...(dashboardPort ? { dashboardPort: Number.parseInt(dashboardPort, 10) } : {}),
        ...(setUp ? { unlockWith: setUp } : {}),
        ...(acceptOlder !== undefined ? { acceptOlderDatabase: acceptOlder } : {}),
      });
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
