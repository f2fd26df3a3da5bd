import { VkError } from '../../shared/errors.js';
import { APPROVAL_MODES, type ApprovalSetting, type VaultInfo } from '../../shared/model.js';
import { flag, value, type Command } from '../command.js';
import { table, when } from '../format.js';

/** `none`, `every` (every access) or `once:MINUTES` (once per token for N minutes). */
export function parseApproval(text: string): ApprovalSetting {
  if (text === 'none') return { mode: 'none' };
  if (text === 'every' || text === 'every_access') return { mode: 'every_access' };
  const m = /^once(?:_per_token)?:(\d{1,4})$/.exec(text);
  if (m?.[1]) return { mode: 'once_per_token', minutes: Number.parseInt(m[1], 10) };
  throw new VkError('invalid_request', `approval must be none, every or once:MINUTES (modes: ${APPROVAL_MODES.join(', ')})`);
}

export function describeApproval(a: ApprovalSetting): string {
  switch (a.mode) {
    case 'none':
      return 'none';
    case 'every_access':
      return 'every access';
    case 'once_per_token':
      return `once per token for ${a.minutes ?? 0} min`;
  }
}

function vaultRows(vaults: readonly VaultInfo[]): string {
  return table(
    ['NAME', 'ID', 'ENTRIES', 'APPROVAL', 'UPDATED'],
    vaults.map((v) => [v.name, v.id, String(v.entryCount), describeApproval(v.approval), when(v.updatedAt)]),
  );
}

export const vaultCommands: readonly Command[] = [
  {
    words: ['vault', 'create'],
    summary: 'Create a vault',
    usage: 'NAME [--icon ICON] [--colour #RRGGBB] [--approval none|every|once:MINUTES]',
    options: { icon: { type: 'string' }, colour: { type: 'string' }, approval: { type: 'string' } },
    async run(ctx, args) {
      const name = args.positionals[0];
      if (!name) throw new VkError('invalid_request', 'give the vault a name: valetkey vault create NAME');
      const approval = value(args, 'approval');
      const icon = value(args, 'icon');
      const colour = value(args, 'colour');
      const grant = await ctx.grant();
      const vault = await ctx.admin().createVault({
        grant,
        vault: { name, ...(icon ? { icon } : {}), ...(colour ? { colour } : {}), ...(approval ? { approval: parseApproval(approval) } : {}) },
      });
      ctx.print(vault, () => `Created vault ${vault.name} (${vault.id}).`);
    },
  },
  {
    words: ['vault', 'list'],
    summary: 'List vaults (names and settings; no secrets)',
    usage: '',
    async run(ctx) {
      const vaults = await ctx.admin().listVaults({});
      ctx.print(vaults, () => vaultRows(vaults));
    },
  },
  {
    words: ['vault', 'set'],
    summary: 'Change a vault: name, icon, colour or approval setting',
    usage: 'VAULT [--rename NAME] [--icon ICON] [--colour #RRGGBB] [--approval none|every|once:MINUTES]',
    options: { rename: { type: 'string' }, icon: { type: 'string' }, colour: { type: 'string' }, approval: { type: 'string' } },
    async run(ctx, args) {
      const vaultId = args.positionals[0];
      if (!vaultId) throw new VkError('invalid_request', 'name the vault: valetkey vault set VAULT ...');
      const rename = value(args, 'rename');
      const icon = value(args, 'icon');
      const colour = value(args, 'colour');
      const approval = value(args, 'approval');
      const changes = {
        ...(rename ? { name: rename } : {}),
        ...(icon ? { icon } : {}),
        ...(colour ? { colour } : {}),
        ...(approval ? { approval: parseApproval(approval) } : {}),
      };
      if (Object.keys(changes).length === 0) throw new VkError('invalid_request', 'nothing to change: give --rename, --icon, --colour or --approval');
      const grant = await ctx.grant();
      const vault = await ctx.admin().updateVault({ grant, vaultId, changes });
      ctx.print(vault, () => `Updated vault ${vault.name}: approval ${describeApproval(vault.approval)}.`);
    },
  },
  {
    words: ['vault', 'rm'],
    summary: 'Delete a vault and every entry in it',
    usage: 'VAULT --yes',
    options: { yes: { type: 'boolean' } },
    async run(ctx, args) {
      const vaultId = args.positionals[0];
      if (!vaultId) throw new VkError('invalid_request', 'name the vault: valetkey vault rm VAULT --yes');
      if (!flag(args, 'yes')) throw new VkError('invalid_request', 'deleting a vault deletes its entries; add --yes to confirm');
      const grant = await ctx.grant();
      await ctx.admin().deleteVault({ grant, vaultId });
      ctx.print({ deleted: true, vault: vaultId }, () => `Deleted vault ${vaultId}.`);
    },
  },
];
