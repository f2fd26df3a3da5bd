/**
 * `valetkey token create|list|revoke`: the person's side of valet keys, over the admin API.
 * Creating is a grant (the admin passphrase is asked on the terminal); revoking only makes things
 * safer, so it needs none. The enrollment code is printed once, with the snippet for the agent.
 */
import { VkError } from '../../shared/errors.js';
import { PROXY_OTHER_HOSTS, type CreatedToken, type ProxyOtherHosts, type TokenAction, type TokenApproval, type TokenInfo, type TokenInput } from '../../shared/model.js';
import { flag, value, values, type Command, type ParsedArgs } from '../command.js';
import { table, when } from '../format.js';
import { parseLifespan } from '../agent/lifespan.js';
import { parseApproval } from './vault-commands.js';

const STATUSES = ['active', 'expired', 'revoked', 'all'] as const;

function actionsOf(args: ParsedArgs): TokenAction[] {
  const actions: TokenAction[] = [];
  if (flag(args, 'read')) actions.push('read');
  if (flag(args, 'use')) actions.push('use');
  if (actions.length === 0) throw new VkError('invalid_request', 'say what the token may do: --read (reveal values), --use (use without revealing), or both');
  return actions;
}

function entriesOf(args: ParsedArgs): { vault: string; entry: string }[] {
  return values(args, 'entry').map((text) => {
    const slash = text.indexOf('/');
    if (slash <= 0 || slash === text.length - 1) throw new VkError('invalid_request', '--entry takes VAULT/ENTRY (percent-encode a / inside a name as %2F)');
    return { vault: decode(text.slice(0, slash)), entry: decode(text.slice(slash + 1)) };
  });
}

function decode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    throw new VkError('invalid_request', '--entry holds a malformed %-escape');
  }
}

function wholeNumber(args: ParsedArgs, name: string): number | undefined {
  const text = value(args, name);
  if (text === undefined) return undefined;
  if (!/^\d{1,9}$/.test(text)) throw new VkError('invalid_request', `--${name} takes a whole number`);
  return Number(text);
}

function tokenInput(args: ParsedArgs): TokenInput {
  const name = value(args, 'name');
  const vaults = values(args, 'vault');
  if (name === undefined || vaults.length === 0) throw new VkError('invalid_request', 'usage: valetkey token create --name AGENT --vault VAULT [--vault ...] --read|--use --lifespan 1h');
  const approvalText = value(args, 'approval');
  const approval: TokenApproval | undefined = approvalText === undefined ? undefined : approvalText === 'vault' ? 'vault' : parseApproval(approvalText);
  const entries = entriesOf(args);
  const maxUses = wholeNumber(args, 'max-uses');
  const rpm = wholeNumber(args, 'rpm');
  return {
    name,
    vaults,
    actions: actionsOf(args),
    lifespanSeconds: parseLifespan(value(args, 'lifespan') ?? '1h'),
    ...(entries.length > 0 ? { entries } : {}),
    ...(approval === undefined ? {} : { approval }),
    ...(maxUses === undefined ? {} : { maxUses }),
    ...(rpm === undefined ? {} : { requestsPerMinute: rpm }),
    ...(flag(args, 'bearer') ? { binding: 'bearer' as const } : {}),
    ...proxyOtherHostsOf(args),
  };
}

function proxyOtherHostsOf(args: ParsedArgs): { proxyOtherHosts?: ProxyOtherHosts } {
  const text = value(args, 'proxy-other-hosts');
  if (text === undefined) return {};
  const found = PROXY_OTHER_HOSTS.find((v) => v === text);
  if (found === undefined) throw new VkError('invalid_request', `--proxy-other-hosts takes ${PROXY_OTHER_HOSTS.join(' or ')}`);
  return { proxyOtherHosts: found };
}

/** Single-quoted for POSIX shells unless plainly safe. */
export function shellQuote(text: string): string {
  return /^[A-Za-z0-9@%+=:,./_-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}

function snippet(created: CreatedToken, firstVault: string): string {
  const ref = `vk://${encodeURIComponent(firstVault)}/<Entry>/password`;
  return [`valetkey login --enroll ${created.enrollmentCode} --name ${shellQuote(created.token.name)}`, `valetkey read "${ref}" --reason "why the agent needs it"`].join('\n');
}

function describeCreated(created: CreatedToken, firstVault: string): string {
  const t = created.token;
  return [
    `Created token ${t.name} (${t.id}): ${t.actions.join(' and ')} on ${t.vaultIds.length} vault(s), expires ${when(t.expiresAt)}.`,
    ...(t.proxyOtherHosts === 'refuse' ? ['Through valetkey proxy, hosts no entry allows are refused.'] : []),
    ...(t.binding === 'bearer' ? ['BEARER token: anyone who holds it can use it (no key binding). Prefer DPoP unless a plain script needs this.'] : []),
    '',
    `Enrollment code (shown once; single use; valid until ${when(created.enrollmentExpiresAt)}):`,
    `  ${created.enrollmentCode}`,
    '',
    'Give the agent this snippet:',
    ...snippet(created, firstVault).split('\n').map((l) => `  ${l}`),
  ].join('\n');
}

function tokenRows(tokens: readonly TokenInfo[]): string {
  return table(
    ['ID', 'NAME', 'STATUS', 'ACTIONS', 'VAULTS', 'BINDING', 'USES', 'EXPIRES', 'LAST USED'],
    tokens.map((t) => [t.id, t.name, t.status, t.actions.join(','), t.vaultIds.join(','), t.binding, String(t.uses), when(t.expiresAt), t.lastUsedAt ? when(t.lastUsedAt) : '']),
  );
}

export const tokenCommands: readonly Command[] = [
  {
    words: ['token', 'create'],
    summary: 'Create a valet key for an agent; prints its one-time enrollment code (asks for the admin passphrase)',
    usage: '--name AGENT --vault VAULT... (--read|--use) [--lifespan 1h|1d|7d|30d|1y|SECONDS] [--entry VAULT/ENTRY]... [--approval vault|none|every|once:MIN] [--max-uses N] [--rpm N] [--bearer] [--proxy-other-hosts tunnel|refuse]',
    details:
      '--read lets the agent see values; --use lets Valetkey use them for it (valetkey fetch, SDK use()) without revealing them.\n' +
      '--entry narrows the token to some entries. --approval holds the token to a stricter approval than its vaults ask\n' +
      '(vault: follow each vault). --bearer makes a token that is not bound to the agent\'s key: only for plain scripts.\n' +
      '--proxy-other-hosts: what valetkey proxy does with hosts no entry allows: tunnel them untouched (default) or refuse them.',
    options: {
      name: { type: 'string' },
      vault: { type: 'string', multiple: true },
      read: { type: 'boolean' },
      use: { type: 'boolean' },
      lifespan: { type: 'string' },
      entry: { type: 'string', multiple: true },
      approval: { type: 'string' },
      'max-uses': { type: 'string' },
      rpm: { type: 'string' },
      bearer: { type: 'boolean' },
      'proxy-other-hosts': { type: 'string' },
    },
    async run(ctx, args) {
      const input = tokenInput(args);
      const grant = await ctx.grant();
      const created = await ctx.admin().createToken({ grant, token: input });
      const firstVault = input.vaults[0] ?? '';
      ctx.print({ ...created, snippet: snippet(created, firstVault) }, () => describeCreated(created, firstVault));
    },
  },
  {
    words: ['token', 'list'],
    summary: 'List valet keys (never a token or a code)',
    usage: '[--status active|expired|revoked|all]',
    options: { status: { type: 'string' } },
    async run(ctx, args) {
      const status = value(args, 'status') ?? 'all';
      if (!(STATUSES as readonly string[]).includes(status)) throw new VkError('invalid_request', `--status takes ${STATUSES.join(', ')}`);
      const tokens = await ctx.admin().listTokens({ status: status as (typeof STATUSES)[number] });
      ctx.print(tokens, () => tokenRows(tokens));
    },
  },
  {
    words: ['token', 'revoke'],
    summary: 'Revoke a valet key (and every token exchanged from it), or all of them with --all',
    usage: 'ID | --all',
    options: { all: { type: 'boolean' } },
    async run(ctx, args) {
      const id = args.positionals[0];
      if (flag(args, 'all') === (id !== undefined)) throw new VkError('invalid_request', 'usage: valetkey token revoke ID, or valetkey token revoke --all');
      const result = id === undefined ? await ctx.admin().revokeAllTokens({}) : await ctx.admin().revokeToken({ tokenId: id });
      ctx.print(result, () => `Revoked ${result.revoked} token(s). They stop working at once.`);
    },
  },
];
