import { VkError } from '../../shared/errors.js';
import { AUDIT_OUTCOMES, type AuditOutcome, type AuditQuery, type AuditRow } from '../../shared/model.js';
import { value, type Command } from '../command.js';
import { EXIT } from '../exit-codes.js';
import { table, when } from '../format.js';
import { verifyExportCommand } from './audit-out-commands.js';
import { signedCoverageText } from '../../shared/audit-coverage.js';

function auditRows(rows: readonly AuditRow[]): string {
  return table(
    ['SEQ', 'TIME', 'ACTOR', 'AGENT', 'ACTION', 'VAULT', 'OUTCOME', 'REASON'],
    rows.map((r) => [String(r.seq), when(r.ts), r.actor, r.agent ?? '', r.action, r.vaultId ?? '', r.errorCode ? `${r.outcome} (${r.errorCode})` : r.outcome, r.reason ?? '']),
  );
}

function parseTime(text: string | undefined, name: string): number | undefined {
  if (text === undefined) return undefined;
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) throw new VkError('invalid_request', `--${name} takes an ISO date or time, e.g. 2026-11-22T10:00Z`);
  return ms;
}

export const auditCommands: readonly Command[] = [
  {
    words: ['audit', 'verify'],
    summary: 'Check the audit hash chain and its signed checkpoints; names the first altered row',
    usage: '[--export FILE [--offline]]',
    details: 'With --export: check a JSON Lines export or retention archive against the chain (--offline: an archive alone, with the key in its .sig).',
    options: { export: { type: 'string' }, offline: { type: 'boolean' } },
    async run(ctx, args) {
      const file = value(args, 'export');
      if (file !== undefined) return verifyExportCommand(ctx, file, args.values['offline'] === true);
      const result = await ctx.admin().verifyAudit({});
      ctx.print(result, () =>
        result.ok
          ? `Audit chain intact: ${result.rowsChecked} rows, ${result.checkpointsChecked} signed checkpoints, last row ${result.lastSeq}; ${signedCoverageText(result)}.`
          : `AUDIT CHAIN BROKEN at row ${result.firstBadSeq ?? '?'}: ${result.problem ?? 'unknown problem'}`,
      );
      return result.ok ? EXIT.ok : EXIT.integrity;
    },
  },
  {
    words: ['audit', 'list'],
    summary: 'Show audit rows, newest first, with filters',
    usage: '[--agent A] [--token ID] [--vault ID] [--action A] [--outcome O] [--since TIME] [--until TIME] [--search TEXT] [--limit N] [--before SEQ]',
    options: {
      agent: { type: 'string' },
      token: { type: 'string' },
      vault: { type: 'string' },
      action: { type: 'string' },
      outcome: { type: 'string' },
      since: { type: 'string' },
      until: { type: 'string' },
      search: { type: 'string' },
      limit: { type: 'string' },
      before: { type: 'string' },
    },
    async run(ctx, args) {
      const outcome = value(args, 'outcome');
      if (outcome !== undefined && !(AUDIT_OUTCOMES as readonly string[]).includes(outcome)) {
        throw new VkError('invalid_request', `--outcome must be one of ${AUDIT_OUTCOMES.join(', ')}`);
      }
      const q: Record<string, unknown> = {
        agent: value(args, 'agent'),
        tokenId: value(args, 'token'),
        vaultId: value(args, 'vault'),
        action: value(args, 'action'),
        outcome: outcome as AuditOutcome | undefined,
        since: parseTime(value(args, 'since'), 'since'),
        until: parseTime(value(args, 'until'), 'until'),
        reasonContains: value(args, 'search'),
        limit: value(args, 'limit') === undefined ? undefined : Number(value(args, 'limit')),
        beforeSeq: value(args, 'before') === undefined ? undefined : Number(value(args, 'before')),
      };
      for (const k of Object.keys(q)) if (q[k] === undefined) delete q[k];
      const page = await ctx.admin().queryAudit(q as AuditQuery);
      ctx.print(page, () => auditRows(page.rows) + (page.nextBeforeSeq ? `\n(more: --before ${page.nextBeforeSeq})` : ''));
    },
  },
];
