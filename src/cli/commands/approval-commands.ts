/**
 * The person's answers from a terminal: `approvals` (an agent's access to a sensitive vault) and
 * `requests` (an agent asking for a token, the device flow). Listing needs only the session
 * secret; every decision, deny included, is a grant and asks for the admin passphrase, so an
 * agent with a shell cannot answer its own request. What is being decided is shown first.
 */
import { VkError } from '../../shared/errors.js';
import type { ApprovalInfo, DeviceRequestInfo, TokenAction } from '../../shared/model.js';
import { flag, value, values, type Command, type ParsedArgs } from '../command.js';
import type { CliContext } from '../context.js';
import { table, when } from '../format.js';
import { parseLifespan } from '../agent/lifespan.js';

function approvalRows(list: readonly ApprovalInfo[]): string {
  return table(
    ['ID', 'STATUS', 'AGENT', 'ACTION', 'VAULT', 'ENTRY', 'FIELD', 'REASON', 'EXPIRES'],
    list.map((a) => [a.id, a.status, a.agent, a.action, a.vaultName ?? a.vaultId, a.entryTitle ?? a.entryId ?? '', a.field ?? '', a.reason ?? '', when(a.expiresAt)]),
  );
}

function requestRows(list: readonly DeviceRequestInfo[]): string {
  return table(
    ['ID', 'CODE', 'STATUS', 'AGENT (claimed)', 'SCOPE', 'LIFESPAN', 'REASON'],
    list.map((d) => [d.id, d.userCode, d.status, d.clientName, d.requestedScope, `${d.lifespanSeconds}s`, d.reason]),
  );
}

function one(args: ParsedArgs, what: string): string {
  const id = args.positionals[0];
  if (id === undefined) throw new VkError('invalid_request', `give the ${what}`);
  return id;
}

async function findApproval(ctx: CliContext, id: string): Promise<ApprovalInfo> {
  const found = (await ctx.admin().listApprovals({ status: 'pending' })).find((a) => a.id === id);
  if (found === undefined) throw new VkError('not_found', 'no pending approval with that id (it may have timed out)');
  return found;
}

/** By request id or by the XXXX-XXXX code the agent printed. */
async function findRequest(ctx: CliContext, idOrCode: string): Promise<DeviceRequestInfo> {
  const code = idOrCode.toUpperCase();
  const found = (await ctx.admin().listDeviceRequests({ status: 'pending' })).find((d) => d.id === idOrCode || d.userCode === code);
  if (found === undefined) throw new VkError('not_found', 'no pending request with that id or code (it may have expired)');
  return found;
}

function describeApproval(a: ApprovalInfo): string {
  const what = [a.vaultName ?? a.vaultId, a.entryTitle ?? a.entryId, a.field].filter((x) => x).join('/');
  return `${a.agent} (token ${a.tokenName}, key ${a.keyThumbprint ?? 'bearer'}) wants to ${a.action} ${what}\n  reason: ${a.reason ?? '(none)'}`;
}

function describeRequest(d: DeviceRequestInfo): string {
  return `${d.clientName} (name claimed, not verified; key ${d.keyThumbprint ?? 'not yet known: the agent’s first poll binds it'}) asks for ${d.requestedScope} for ${d.lifespanSeconds}s\n  code:   ${d.userCode} (compare with what the agent printed)\n  reason: ${d.reason}`;
}

function narrowing(args: ParsedArgs): { vaults?: string[]; actions?: TokenAction[]; lifespanSeconds?: number } | undefined {
  const vaults = values(args, 'vault');
  const actions: TokenAction[] = [...(flag(args, 'read') ? ['read' as const] : []), ...(flag(args, 'use') ? ['use' as const] : [])];
  const lifespan = value(args, 'lifespan');
  const n = { ...(vaults.length ? { vaults } : {}), ...(actions.length ? { actions } : {}), ...(lifespan ? { lifespanSeconds: parseLifespan(lifespan) } : {}) };
  return Object.keys(n).length === 0 ? undefined : n;
}

const listOptions = { all: { type: 'boolean' } } as const;

export const approvalCommands: readonly Command[] = [
  {
    words: ['approvals', 'list'],
    summary: 'List accesses waiting for a person’s approval (--all: past ones too)',
    usage: '[--all]',
    options: listOptions,
    async run(ctx, args) {
      const list = await ctx.admin().listApprovals({ status: flag(args, 'all') ? 'all' : 'pending' });
      ctx.print(list, () => approvalRows(list));
    },
  },
  {
    words: ['approvals', 'approve'],
    summary: 'Allow a waiting access once, or this agent for N minutes (asks for the admin passphrase)',
    usage: 'ID [--for MINUTES]',
    options: { for: { type: 'string' } },
    async run(ctx, args) {
      const approval = await findApproval(ctx, one(args, 'approval id'));
      ctx.err(describeApproval(approval));
      const minutes = value(args, 'for');
      if (minutes !== undefined && !/^\d{1,4}$/.test(minutes)) throw new VkError('invalid_request', '--for takes a number of minutes');
      const grant = await ctx.grant();
      const decided = await ctx.admin().decideApproval({ grant, approvalId: approval.id, ...(minutes === undefined ? { decision: 'allow_once' } : { decision: 'allow_for', minutes: Number(minutes) }) });
      ctx.print(decided, () => `Allowed${minutes === undefined ? ' once' : ` for ${minutes} minutes`}.`);
    },
  },
  {
    words: ['approvals', 'deny'],
    summary: 'Deny a waiting access (asks for the admin passphrase)',
    usage: 'ID',
    async run(ctx, args) {
      const approval = await findApproval(ctx, one(args, 'approval id'));
      ctx.err(describeApproval(approval));
      const grant = await ctx.grant();
      const decided = await ctx.admin().decideApproval({ grant, approvalId: approval.id, decision: 'deny' });
      ctx.print(decided, () => 'Denied.');
    },
  },
  {
    words: ['requests', 'list'],
    summary: 'List agents’ requests for access (device flow) waiting for a person (--all: past ones too)',
    usage: '[--all]',
    options: listOptions,
    async run(ctx, args) {
      const list = await ctx.admin().listDeviceRequests({ status: flag(args, 'all') ? 'all' : 'pending' });
      ctx.print(list, () => requestRows(list));
    },
  },
  {
    words: ['requests', 'approve'],
    summary: 'Approve an agent’s request, maybe narrowed (asks for the admin passphrase)',
    usage: 'ID|CODE [--vault V]... [--read] [--use] [--lifespan 1h|...]',
    details: 'Narrowing: --vault keeps only those vaults, --read/--use only those actions, --lifespan a shorter life.',
    options: { vault: { type: 'string', multiple: true }, read: { type: 'boolean' }, use: { type: 'boolean' }, lifespan: { type: 'string' } },
    async run(ctx, args) {
      const request = await findRequest(ctx, one(args, 'request id or code'));
      ctx.err(describeRequest(request));
      const narrowed = narrowing(args);
      const grant = await ctx.grant();
      const decided = await ctx.admin().decideDeviceRequest({ grant, requestId: request.id, decision: 'approve', ...(narrowed ? { narrowed } : {}) });
      ctx.print(decided, () => `Approved: ${decided.grantedScope ?? decided.requestedScope} for ${decided.grantedLifespanSeconds ?? decided.lifespanSeconds}s.`);
    },
  },
  {
    words: ['requests', 'deny'],
    summary: 'Deny an agent’s request (asks for the admin passphrase)',
    usage: 'ID|CODE',
    async run(ctx, args) {
      const request = await findRequest(ctx, one(args, 'request id or code'));
      ctx.err(describeRequest(request));
      const grant = await ctx.grant();
      const decided = await ctx.admin().decideDeviceRequest({ grant, requestId: request.id, decision: 'deny' });
      ctx.print(decided, () => 'Denied.');
    },
  },
];
