/**
 * The kill switch and the live view: `pause` stops every agent request at once (safe: no
 * passphrase), `resume` lets them back (a grant), `audit tail` follows the audit log as rows are
 * committed (the admin API's event stream), until Ctrl-C.
 */
import { VkError } from '../../shared/errors.js';
import type { AuditRow } from '../../shared/model.js';
import { createHttpAdminClient, type HttpAdminClient } from '../../shared/admin-client/http-admin-client.js';
import { readAdminInfo } from '../../core/daemon/admin-info.js';
import { value, type Command } from '../command.js';
import type { CliContext } from '../context.js';
import { EXIT } from '../exit-codes.js';
import { when } from '../format.js';

function rowLine(r: AuditRow): string {
  const where = [r.vaultId, r.entryId, r.field].filter((x) => x !== null && x !== '').join('/');
  const outcome = r.errorCode ? `${r.outcome}(${r.errorCode})` : r.outcome;
  return [String(r.seq), when(r.ts), r.actor, r.agent ?? '-', r.action, where || '-', outcome, r.reason ?? ''].join('  ').trimEnd();
}

function eventClient(ctx: CliContext): HttpAdminClient {
  const info = readAdminInfo(ctx.paths.adminInfo);
  return createHttpAdminClient({ socketPath: info.socketPath, sessionSecret: info.sessionSecret });
}

/** Subscribes first and queries second, so no row committed in between is lost; seq numbers drop repeats. */
async function tail(ctx: CliContext, lines: number): Promise<number> {
  const client = eventClient(ctx);
  let lastSeq = 0;
  const buffered: AuditRow[] = [];
  let live = false;
  const show = (rows: readonly AuditRow[]): void => {
    for (const r of rows) {
      if (r.seq <= lastSeq) continue;
      lastSeq = r.seq;
      ctx.out(ctx.json ? JSON.stringify(r) : rowLine(r));
    }
  };
  return new Promise<number>((resolve, reject) => {
    const stop = (code: number) => () => resolve(code);
    client
      .subscribe((e) => {
        if (e.type !== 'audit.appended') return;
        if (live) show(e.rows);
        else buffered.push(...e.rows);
      }, stop(EXIT.engine))
      .then(async (unsubscribe) => {
        process.once('SIGINT', () => {
          unsubscribe();
          resolve(EXIT.ok);
        });
        const recent = lines > 0 ? (await client.queryAudit({ limit: lines })).rows : [];
        show([...recent].reverse());
        live = true;
        show(buffered.sort((a, b) => a.seq - b.seq));
      })
      .catch(reject);
  });
}

export const controlCommands: readonly Command[] = [
  {
    words: ['pause'],
    summary: 'Pause all agents now: every agent request is refused (agents_paused) until resume',
    usage: '',
    async run(ctx) {
      const s = await ctx.admin().pauseAgents({});
      ctx.print(s, () => 'All agents paused. `valetkey resume` (admin passphrase) lets them back.');
    },
  },
  {
    words: ['resume'],
    summary: 'Let agents back in after a pause (asks for the admin passphrase)',
    usage: '',
    async run(ctx) {
      const grant = await ctx.grant();
      const s = await ctx.admin().resumeAgents({ grant });
      ctx.print(s, () => 'Agents resumed.');
    },
  },
  {
    words: ['audit', 'tail'],
    summary: 'Follow the audit log live, as rows are committed (Ctrl-C ends)',
    usage: '[--lines N] [--json]',
    details: 'Shows the last N rows first (default 10), then each new row. --json prints one JSON object per line.\nEnds with exit code 3 if the engine stops.',
    options: { lines: { type: 'string' } },
    async run(ctx, args) {
      const text = value(args, 'lines') ?? '10';
      if (!/^\d{1,3}$/.test(text) || Number(text) > 500) throw new VkError('invalid_request', '--lines takes 0 to 500');
      return tail(ctx, Number(text));
    },
  },
];
