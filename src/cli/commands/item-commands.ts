import { VkError } from '../../shared/errors.js';
import { ENTRY_KINDS, type CustomField, type Entry, type EntryFields, type EntryInjection, type EntryKind, type EntrySummary } from '../../shared/model.js';
import { flag, value, values, type Command, type ParsedArgs } from '../command.js';
import type { CliContext } from '../context.js';
import { table, when } from '../format.js';
import { hostInjectionFromText, injectionFromText, injectionText } from '../../shared/injection-text.js';

const fieldOptions = {
  username: { type: 'string' },
  url: { type: 'string', multiple: true },
  field: { type: 'string', multiple: true },
  'hidden-field': { type: 'string', multiple: true },
  totp: { type: 'boolean' },
  notes: { type: 'boolean' },
  'allowed-host': { type: 'string', multiple: true },
  inject: { type: 'string' },
  'inject-query': { type: 'string' },
  'inject-basic': { type: 'boolean' },
  'inject-for': { type: 'string', multiple: true },
} as const;

/**
 * The proxy's injection settings: `--inject` for every allowed host ("Authorization: Bearer {value}",
 * "?key" or "basic"; `--inject ''` removes it), `--inject-query NAME`, `--inject-basic`, and
 * `--inject-for HOST=SETTING` per host (an empty SETTING removes that host's own). On edit,
 * per-host settings merge into `current`.
 */
function injectionOf(args: ParsedArgs, current: Readonly<Record<string, EntryInjection>> = {}): { injection?: EntryInjection | null; injectionByHost?: Record<string, EntryInjection> } {
  const header = value(args, 'inject');
  const query = value(args, 'inject-query');
  const basic = flag(args, 'inject-basic');
  if ([header !== undefined, query !== undefined, basic].filter(Boolean).length > 1) throw new VkError('invalid_request', 'give one of --inject, --inject-query and --inject-basic');
  const all = header !== undefined ? (injectionFromText(header) ?? null) : query !== undefined ? { query } : basic ? ({ basic: true } as const) : undefined;
  const perHost = values(args, 'inject-for');
  const byHost: Record<string, EntryInjection> = { ...current };
  for (const text of perHost) {
    const parsed = hostInjectionFromText(text);
    if (parsed === undefined) throw new VkError('invalid_request', '--inject-for takes HOST=SETTING, e.g. --inject-for "api.github.com=Authorization: token {value}"');
    const host = parsed.host.toLowerCase();
    if (parsed.injection === undefined) delete byHost[host];
    else byHost[host] = parsed.injection;
  }
  return { ...(all === undefined ? {} : { injection: all }), ...(perHost.length > 0 ? { injectionByHost: byHost } : {}) };
}

function parseKind(text: string | undefined): EntryKind {
  const kind = (text ?? 'login').replace('-', '_');
  if (!(ENTRY_KINDS as readonly string[]).includes(kind)) throw new VkError('invalid_request', `--kind must be one of ${ENTRY_KINDS.join(', ')}`);
  return kind as EntryKind;
}

/** Plain custom fields come from argv (NAME=VALUE); hidden ones are always asked for. */
async function customFields(ctx: CliContext, args: ParsedArgs): Promise<CustomField[]> {
  const plain = values(args, 'field').map((pair) => {
    const at = pair.indexOf('=');
    if (at <= 0) throw new VkError('invalid_request', '--field takes NAME=VALUE (use --hidden-field NAME for secret values)');
    return { name: pair.slice(0, at), value: pair.slice(at + 1), hidden: false };
  });
  const hidden: CustomField[] = [];
  for (const name of values(args, 'hidden-field')) {
    hidden.push({ name, value: await ctx.prompter.ask(`${name} (hidden): `, { hidden: true }), hidden: true });
  }
  return [...plain, ...hidden];
}

/** Asks for the secret values the flags call for, in a fixed order: main secret, TOTP, hidden fields, notes. */
async function askSecrets(ctx: CliContext, args: ParsedArgs, kind: EntryKind, askMain: boolean): Promise<EntryFields> {
  const fields: { -readonly [K in keyof EntryFields]: EntryFields[K] } = {};
  if (askMain && kind === 'login') fields.password = await ctx.prompter.ask('Password: ', { hidden: true });
  if (askMain && kind === 'api_key') fields.apiKey = await ctx.prompter.ask('API key: ', { hidden: true });
  if (kind === 'ssh_key' && askMain && !flag(args, 'generate')) fields.sshPrivateKey = await ctx.prompter.rest('OpenSSH or PEM private key');
  if (flag(args, 'totp')) fields.totp = await ctx.prompter.ask('TOTP secret or otpauth:// URI: ', { hidden: true });
  const custom = await customFields(ctx, args);
  if (custom.length > 0) fields.custom = custom;
  if (flag(args, 'notes') || (askMain && kind === 'note')) fields.notes = await ctx.prompter.rest('Notes');
  const username = value(args, 'username');
  if (username !== undefined) fields.username = username;
  const urls = values(args, 'url');
  if (urls.length > 0) fields.urls = urls;
  return fields;
}

function entryRows(entries: readonly EntrySummary[]): string {
  return table(
    ['TITLE', 'KIND', 'ID', 'VAULT', 'FIELDS', 'UPDATED'],
    entries.map((e) => [e.title, e.kind, e.id, e.vaultId, e.fieldNames.join(','), when(e.updatedAt)]),
  );
}

function describeEntry(e: Entry): string {
  const f = e.fields;
  const lines = [`${e.title} (${e.kind}, ${e.id}, version ${e.version})`];
  if (f.username !== undefined) lines.push(`  username: ${f.username}`);
  if (f.password !== undefined) lines.push(`  password: ${f.password}`);
  if (f.apiKey !== undefined) lines.push(`  api key:  ${f.apiKey}`);
  if (f.sshPublicKey !== undefined) lines.push(`  public key: ${f.sshPublicKey}`);
  for (const url of f.urls ?? []) lines.push(`  url:      ${url}`);
  if (f.totp !== undefined) lines.push('  totp:     (set; `valetkey item totp` shows the current code)');
  for (const c of f.custom ?? []) lines.push(`  ${c.name}: ${c.value}`);
  if (e.allowedHosts.length > 0) lines.push(`  allowed hosts: ${e.allowedHosts.join(', ')}`);
  if (e.injection !== undefined) lines.push(`  proxy puts it in: ${injectionText(e.injection)}`);
  for (const [host, i] of Object.entries(e.injectionByHost ?? {})) lines.push(`  proxy puts it in for ${host}: ${injectionText(i)}`);
  if (f.notes) lines.push('  notes:', ...f.notes.split('\n').map((l) => `    ${l}`));
  return lines.join('\n');
}

function twoPositionals(args: ParsedArgs, usage: string): [string, string] {
  const [vault, entry] = args.positionals;
  if (!vault || !entry) throw new VkError('invalid_request', `usage: ${usage}`);
  return [vault, entry];
}

export const itemCommands: readonly Command[] = [
  {
    words: ['item', 'add'],
    summary: 'Add an entry; secret values are asked for (hidden), never taken from arguments',
    usage: 'VAULT TITLE [--kind login|api_key|note|ssh_key [--generate [--comment C]]] [--username U] [--url URL]... [--field NAME=VALUE]... [--hidden-field NAME]... [--totp] [--notes] [--allowed-host HOST]... [--inject "Header: …{value}…" | --inject-query NAME | --inject-basic] [--inject-for HOST=SETTING]... [--no-secret]',
    details: 'Without a terminal, answers are read from standard input one per line, in this order:\nadmin passphrase, password or API key, TOTP secret, hidden fields, then notes (the rest of the input).\n' +
      'An ssh_key entry: --generate makes a new Ed25519 key; else the private key is the rest of the input. The public key is printed.',
    options: { ...fieldOptions, kind: { type: 'string' }, 'no-secret': { type: 'boolean' }, generate: { type: 'boolean' }, comment: { type: 'string' } },
    async run(ctx, args) {
      const [vaultId, title] = twoPositionals(args, 'valetkey item add VAULT TITLE');
      const kind = parseKind(value(args, 'kind'));
      const grant = await ctx.grant();
      const fields = await askSecrets(ctx, args, kind, !flag(args, 'no-secret'));
      const hosts = values(args, 'allowed-host');
      const generate = kind === 'ssh_key' && flag(args, 'generate') ? { generateSshKey: { comment: value(args, 'comment') ?? '' } } : {};
      const entry = await ctx.admin().createEntry({ grant, vaultId, entry: { title, kind, fields, ...(hosts.length ? { allowedHosts: hosts } : {}), ...injectionOf(args) }, ...generate });
      const publicKey = entry.sshPublicKey;
      ctx.print({ ...entry, ...(publicKey === undefined ? {} : { publicKey }) }, () =>
        [`Added ${entry.title} (${entry.id}) to ${vaultId}.`, ...(publicKey === undefined ? [] : ['Public key (for authorized_keys or your forge):', publicKey])].join('\n'),
      );
    },
  },
  {
    words: ['item', 'list'],
    summary: 'List entries (titles and field names, never values)',
    usage: '[VAULT] [--search TEXT]',
    options: { search: { type: 'string' } },
    async run(ctx, args) {
      const vaultId = args.positionals[0];
      const query = value(args, 'search');
      const entries = await ctx.admin().listEntries({ ...(vaultId ? { vaultId } : {}), ...(query ? { query } : {}) });
      ctx.print(entries, () => entryRows(entries));
    },
  },
  {
    words: ['item', 'get'],
    summary: 'Reveal an entry (audited); --field prints one value alone, for scripts',
    usage: 'VAULT ENTRY [--field NAME] [--reason TEXT]',
    options: { field: { type: 'string' }, reason: { type: 'string' } },
    async run(ctx, args) {
      const [vaultId, entryId] = twoPositionals(args, 'valetkey item get VAULT ENTRY');
      const reason = value(args, 'reason');
      const grant = await ctx.grant();
      const entry = await ctx.admin().getEntry({ grant, vaultId, entryId, ...(reason ? { reason } : {}) });
      const field = value(args, 'field');
      if (field !== undefined) {
        const { readField } = await import('../../core/vault/entry-field.js');
        ctx.out(readField(entry, field));
        return;
      }
      ctx.print(entry, () => describeEntry(entry));
    },
  },
  {
    words: ['item', 'totp'],
    summary: 'Show the current TOTP code of a login (audited)',
    usage: 'VAULT ENTRY',
    async run(ctx, args) {
      const [vaultId, entryId] = twoPositionals(args, 'valetkey item totp VAULT ENTRY');
      const grant = await ctx.grant();
      const code = await ctx.admin().totpCode({ grant, vaultId, entryId });
      ctx.print(code, () => `${code.code} (${code.expiresInSeconds}s left)`);
    },
  },
  {
    words: ['item', 'edit'],
    summary: 'Change an entry; --password/--api-key/--hidden-field ask for the new value',
    usage: 'VAULT ENTRY [--title T] [--username U] [--url URL]... [--password] [--api-key] [--totp] [--field NAME=VALUE]... [--hidden-field NAME]... [--notes] [--allowed-host HOST]... [--inject "Header: …{value}…" | --inject-query NAME | --inject-basic] [--inject-for HOST=SETTING]...',
    details: "--inject '' removes the entry's own injection setting; --inject-for HOST= removes that host's.",
    options: { ...fieldOptions, title: { type: 'string' }, password: { type: 'boolean' }, 'api-key': { type: 'boolean' } },
    async run(ctx, args) {
      const [vaultId, entryId] = twoPositionals(args, 'valetkey item edit VAULT ENTRY ...');
      const grant = await ctx.grant();
      const current = await ctx.admin().getEntry({ grant, vaultId, entryId, reason: 'edit from the CLI' });
      const asked = await askSecrets(ctx, args, current.kind, false);
      const secret: { password?: string; apiKey?: string } = {};
      if (flag(args, 'password')) secret.password = await ctx.prompter.ask('New password: ', { hidden: true });
      if (flag(args, 'api-key')) secret.apiKey = await ctx.prompter.ask('New API key: ', { hidden: true });
      const custom = asked.custom ? mergeCustom(current.fields.custom ?? [], asked.custom) : current.fields.custom;
      const fields: EntryFields = { ...current.fields, ...asked, ...secret, ...(custom ? { custom } : {}) };
      const title = value(args, 'title');
      const hosts = values(args, 'allowed-host');
      const entry = await ctx.admin().updateEntry({
        grant,
        vaultId,
        entryId: current.id,
        changes: { fields, ...(title ? { title } : {}), ...injectionOf(args, current.injectionByHost), ...(hosts.length ? { allowedHosts: [...new Set([...current.allowedHosts, ...hosts])] } : {}) },
      });
      ctx.print(entry, () => `Updated ${entry.title} (version ${entry.version}).`);
    },
  },
  {
    words: ['item', 'rm'],
    summary: 'Delete an entry',
    usage: 'VAULT ENTRY',
    async run(ctx, args) {
      const [vaultId, entryId] = twoPositionals(args, 'valetkey item rm VAULT ENTRY');
      const grant = await ctx.grant();
      const entries = await ctx.admin().listEntries({ vaultId });
      const target = entries.find((e) => e.id === entryId || e.title.toLowerCase() === entryId.toLowerCase());
      if (!target) throw new VkError('not_found', 'no entry by that id or title in that vault');
      await ctx.admin().deleteEntry({ grant, vaultId, entryId: target.id });
      ctx.print({ deleted: true, entry: target.id }, () => `Deleted ${target.title}.`);
    },
  },
];

function mergeCustom(current: readonly CustomField[], changes: readonly CustomField[]): CustomField[] {
  const byName = new Map(current.map((c) => [c.name.toLowerCase(), c]));
  for (const c of changes) byName.set(c.name.toLowerCase(), c);
  return [...byName.values()];
}
