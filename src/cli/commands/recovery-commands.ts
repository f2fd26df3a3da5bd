import { readFileSync, existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { VkError } from '../../shared/errors.js';
import { writeFileAtomic } from '../../core/fs/atomic-file.js';
import { flag, value, type Command } from '../command.js';

export const recoveryCommands: readonly Command[] = [
  {
    words: ['recovery', 'export'],
    summary: 'Write a recovery kit: your keys sealed by a recovery passphrase (keep it offline)',
    usage: '--out FILE [--force]',
    details: 'Asks for the admin passphrase, then a recovery passphrase (10+ characters) that seals the kit.\nThe file is written 0600 and not overwritten without --force.',
    options: { out: { type: 'string' }, force: { type: 'boolean' } },
    async run(ctx, args) {
      const out = value(args, 'out');
      if (!out) throw new VkError('invalid_request', 'give the file to write: --out FILE');
      if (existsSync(out) && !flag(args, 'force')) throw new VkError('conflict', `${out} exists; add --force to replace it`);
      const grant = await ctx.grant();
      const kitPassphrase = await ctx.prompter.ask('Recovery passphrase (10+ characters): ', { hidden: true });
      const { kit } = await ctx.admin().exportRecoveryKit({ grant, kitPassphrase });
      writeFileAtomic(resolve(out), kit, { overwrite: flag(args, 'force') });
      ctx.print({ written: out }, () => `Recovery kit written to ${out}. Keep it and its passphrase apart, offline.`);
    },
  },
  {
    words: ['recovery', 'restore'],
    summary: 'Put this data directory’s keys back from its recovery kit (engine stopped)',
    usage: 'FILE',
    details: 'Asks for the kit’s recovery passphrase, then the admin passphrase. The keys go back into the same\nkey store this data directory was set up with (OS keychain or passphrase key file).',
    async run(ctx, args) {
      const file = args.positionals[0];
      if (!file) throw new VkError('invalid_request', 'give the kit file: valetkey recovery restore FILE');
      const kit = readFileSync(file, 'utf8');
      const kitPassphrase = await ctx.prompter.ask('Recovery passphrase: ', { hidden: true });
      const adminPassphrase = await ctx.prompter.ask('Admin passphrase: ', { hidden: true });
      const { restoreFromRecoveryKit } = await import('../../core/recovery-restore.js');
      const { keyStorage } = await restoreFromRecoveryKit({ dataDir: ctx.paths.dataDir, kit, kitPassphrase, adminPassphrase });
      ctx.print({ restored: true, keyStorage }, () => `Keys restored into ${keyStorage === 'keychain' ? 'the OS keychain' : 'the key file'}. Start Valetkey again.`);
    },
  },
];
