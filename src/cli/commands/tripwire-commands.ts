/**
 * `valetkey alerts`, `valetkey token pause|resume`: the person's side of tripwires. Pausing only
 * makes things safer (no passphrase); resuming is a grant (asked on the terminal).
 */
import { describeAlert } from '../../shared/alert-text.js';
import { VkError } from '../../shared/errors.js';
import type { AlertInfo } from '../../shared/model.js';
import { value, type Command, type ParsedArgs } from '../command.js';
import { table, when } from '../format.js';

function tokenId(args: ParsedArgs, usage: string): string {
  const id = args.positionals[0];
  if (id === undefined) throw new VkError('invalid_request', `usage: ${usage}`);
  return id;
}

function alertRows(alerts: readonly AlertInfo[]): string {
  return table(
    ['SEQ', 'WHEN', 'RULE', 'TOKEN', 'WHAT HAPPENED'],
    alerts.map(({ alert }) => {
      const text = describeAlert(alert);
      return [String(alert.seq), when(alert.ts), String(alert.detail?.['rule'] ?? ''), alert.tokenId ?? '', `${text.title}. ${text.body}`];
    }),
  );
}

export const tripwireCommands: readonly Command[] = [
  {
    words: ['alerts'],
    summary: 'List tripwire alerts (canaries, token rules), newest first, with the agent rows around each (--json)',
    usage: '[--limit N]',
    options: { limit: { type: 'string' } },
    async run(ctx, args) {
      const text = value(args, 'limit');
      if (text !== undefined && !/^\d{1,3}$/.test(text)) throw new VkError('invalid_request', '--limit takes a whole number up to 200');
      const alerts = await ctx.admin().listAlerts(text === undefined ? {} : { limit: Number(text) });
      ctx.print(alerts, () => (alerts.length === 0 ? 'No alerts.' : alertRows(alerts)));
    },
  },
  {
    words: ['token', 'pause'],
    summary: 'Pause a valet key: refused with token_paused from its next request on',
    usage: 'ID',
    async run(ctx, args) {
      const id = tokenId(args, 'valetkey token pause ID');
      const result = await ctx.admin().pauseToken({ tokenId: id });
      ctx.print(result, () => `Paused token ${id}. Resume it with \`valetkey token resume ${id}\`.`);
    },
  },
  {
    words: ['token', 'resume'],
    summary: 'Resume a paused valet key (asks for the admin passphrase)',
    usage: 'ID',
    async run(ctx, args) {
      const id = tokenId(args, 'valetkey token resume ID');
      const grant = await ctx.grant();
      const result = await ctx.admin().resumeToken({ grant, tokenId: id });
      ctx.print(result, () => `Resumed token ${id}.`);
    },
  },
];
