/**
 * Bringing vaults in and out: `import` (a preview first, then one transaction), `backup create`,
 * `backup restore` and `export bitwarden`. The engine reads and writes the files itself, so paths
 * are made absolute here. Passphrases come from the prompter, never from argv.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { resolve } from 'node:path';
import { isKdbx } from '../../core/import/kdbx-signature.js';
import { VkError } from '../../shared/errors.js';
import { IMPORT_FORMATS, type ImportFormat, type ImportItemNote, type ImportPreview, type ImportRequest, type ImportResult } from '../../shared/model.js';
import { flag, value, values, type Command, type ParsedArgs } from '../command.js';
import type { CliContext } from '../context.js';

const SHOWN = 20;
const PLAINTEXT_FLAG = 'i-understand-this-writes-plaintext';

function fileArg(args: ParsedArgs, usage: string): string {
  const file = args.positionals[0];
  if (!file) throw new VkError('invalid_request', `name the file: valetkey ${usage}`);
  return resolve(file);
}

function outArg(args: ParsedArgs): string {
  const out = value(args, 'out');
  if (!out) throw new VkError('invalid_request', 'give the file to write: --out FILE');
  return resolve(out);
}

function vaultArgs(args: ParsedArgs): string[] {
  const vaults = values(args, 'vault');
  if (vaults.length === 0) throw new VkError('invalid_request', 'name the vaults: --vault NAME (repeat it for several)');
  return vaults;
}

function formatArg(args: ParsedArgs): ImportFormat | undefined {
  const text = value(args, 'format');
  if (text === undefined) return undefined;
  const format = IMPORT_FORMATS.find((f) => f === text.replace(/-/g, '_'));
  if (format === undefined) throw new VkError('invalid_request', `--format must be one of ${IMPORT_FORMATS.join(', ')}`);
  return format;
}

/** The first bytes say whether the engine will need the KeePass password. */
function looksLikeKdbx(path: string): boolean {
  const head = new Uint8Array(8);
  try {
    const fd = openSync(path, 'r');
    try {
      readSync(fd, head, 0, 8, 0);
    } finally {
      closeSync(fd);
    }
  } catch {
    return false; // the engine reports a missing file, naming it
  }
  return isKdbx(head);
}

function noteLines(label: string, count: number, notes: readonly ImportItemNote[], extra = ''): string[] {
  if (count === 0) return [];
  const lines = [`${label}: ${count}${extra}`, ...notes.slice(0, SHOWN).map((n) => `  ${n.where.padEnd(10)} ${n.title} — ${n.reason}`)];
  if (count > SHOWN) lines.push(`  … and ${count - SHOWN} more (--json lists up to 200)`);
  return lines;
}

export function describePreview(p: ImportPreview, keepDuplicates: boolean): string {
  const into = p.target.isNew ? `a new vault “${p.target.vaultName}”` : `vault “${p.target.vaultName}”`;
  return [
    `File:   ${p.file} (${p.format})`,
    `Into:   ${into}`,
    `Items:  ${p.itemsInFile} in the file; ${p.toImport} to import (${p.byKind.login} logins, ${p.byKind.api_key} API keys, ${p.byKind.note} notes)`,
    ...noteLines('Duplicates of entries already in the vault', p.duplicateCount, p.duplicates, keepDuplicates ? ' (imported anyway: --keep-duplicates)' : ' (skipped; --keep-duplicates imports them)'),
    ...noteLines('Skipped', p.skippedCount, p.skipped),
    ...noteLines('Not mapped (the rest of the item is imported)', p.notMappedCount, p.notMapped),
    ...(p.general.length > 0 ? ['Also:', ...p.general.map((g) => `  - ${g}`)] : []),
  ].join('\n');
}

function importRequest(args: ParsedArgs): ImportRequest {
  const path = fileArg(args, 'import FILE --vault NAME|--new-vault NAME');
  const vault = value(args, 'vault');
  const newVaultName = value(args, 'new-vault');
  if ((vault === undefined) === (newVaultName === undefined)) throw new VkError('invalid_request', 'say where to import: --vault NAME (existing) or --new-vault NAME');
  const format = formatArg(args);
  return {
    path,
    ...(vault !== undefined ? { vault } : { newVaultName: newVaultName ?? '' }),
    ...(format ? { format } : {}),
    ...(flag(args, 'keep-duplicates') ? { keepDuplicates: true } : {}),
  };
}

async function confirmed(ctx: CliContext, preview: ImportPreview): Promise<boolean> {
  const answer = await ctx.prompter.ask(`Import ${preview.toImport} entries into ${preview.target.vaultName}? [y/N] `);
  return /^y(es)?$/i.test(answer.trim());
}

const importCommand: Command = {
  words: ['import'],
  summary: 'Import a Bitwarden, 1Password, KeePass, Proton Pass or browser export (preview first)',
  usage: 'FILE (--vault NAME | --new-vault NAME) [--format F] [--dry-run] [--yes] [--keep-duplicates]',
  details: [
    `Formats (detected from the content; --format to insist): ${IMPORT_FORMATS.join(', ')}.`,
    'Shows what would be imported, skipped and not mapped, then asks before writing anything;',
    'the import is one transaction. Duplicates (same title, username and first URL as an entry',
    'already in the vault) are skipped unless --keep-duplicates.',
    'Asks for: the admin passphrase, then the KeePass password for a .kdbx file, then y/N (unless --yes or --dry-run).',
  ].join('\n'),
  options: { vault: { type: 'string' }, 'new-vault': { type: 'string' }, format: { type: 'string' }, 'dry-run': { type: 'boolean' }, yes: { type: 'boolean' }, 'keep-duplicates': { type: 'boolean' } },
  async run(ctx, args) {
    const base = importRequest(args);
    const grant = await ctx.grant();
    const needsPassword = base.format === 'kdbx' || (base.format === undefined && looksLikeKdbx(base.path ?? ''));
    const request = needsPassword ? { ...base, kdbxPassword: await ctx.prompter.ask('KeePass database password: ', { hidden: true }) } : base;
    const preview = await ctx.admin().previewImport({ grant, ...request });
    const keep = request.keepDuplicates === true;
    if (!ctx.json) ctx.out(describePreview(preview, keep));
    if (flag(args, 'dry-run') || (preview.toImport === 0 && !preview.target.isNew)) {
      if (ctx.json) ctx.print({ preview }, () => '');
      else ctx.out(flag(args, 'dry-run') ? 'Dry run: nothing was written.' : 'Nothing to import.');
      return;
    }
    if (!flag(args, 'yes') && !(await confirmed(ctx, preview))) {
      ctx.print({ preview, cancelled: true }, () => 'Cancelled: nothing was written.');
      return;
    }
    const result: ImportResult = await ctx.admin().runImport({ grant, ...request });
    ctx.print({ preview, result }, () => `Imported ${result.imported} entries into ${result.vault.name} (${result.vault.entryCount} entries now).`);
  },
};

async function newBackupPassphrase(ctx: CliContext): Promise<string> {
  const passphrase = await ctx.prompter.ask('Backup passphrase (10+ characters): ', { hidden: true });
  const again = await ctx.prompter.ask('Repeat the backup passphrase: ', { hidden: true });
  if (again !== passphrase) throw new VkError('invalid_request', 'the two backup passphrases differ; nothing was written');
  return passphrase;
}

const backupCommands: readonly Command[] = [
  {
    words: ['backup', 'create'],
    summary: 'Write an encrypted .valetkey backup of vaults (Argon2id passphrase, secretstream)',
    usage: '--vault NAME... --out FILE [--force]',
    details: 'Asks for the admin passphrase, then a backup passphrase twice. Keep the passphrase apart from the file:\nwithout it the backup cannot be opened. The file is written 0600 and not replaced without --force.',
    options: { vault: { type: 'string', multiple: true }, out: { type: 'string' }, force: { type: 'boolean' } },
    async run(ctx, args) {
      const vaults = vaultArgs(args);
      const path = outArg(args);
      const grant = await ctx.grant();
      const passphrase = await newBackupPassphrase(ctx);
      const written = await ctx.admin().createBackup({ grant, vaults, path, passphrase, ...(flag(args, 'force') ? { force: true } : {}) });
      ctx.print(written, () => `Backed up ${written.vaults} vault(s), ${written.entries} entries, to ${written.path}.`);
    },
  },
  {
    words: ['backup', 'restore'],
    summary: 'Restore a .valetkey backup: as new vaults, as one new vault, or merged into one',
    usage: 'FILE [--as-new NAME | --merge-into VAULT] [--keep-duplicates]',
    details: 'Asks for the admin passphrase, then the backup passphrase. Without options each vault comes back under\nits own name. A truncated or altered backup is refused and nothing is restored.',
    options: { 'as-new': { type: 'string' }, 'merge-into': { type: 'string' }, 'keep-duplicates': { type: 'boolean' } },
    async run(ctx, args) {
      const path = fileArg(args, 'backup restore FILE');
      const asNew = value(args, 'as-new');
      const mergeInto = value(args, 'merge-into');
      const grant = await ctx.grant();
      const passphrase = await ctx.prompter.ask('Backup passphrase: ', { hidden: true });
      const result = await ctx.admin().restoreBackup({
        grant,
        path,
        passphrase,
        ...(asNew !== undefined ? { asNew } : {}),
        ...(mergeInto !== undefined ? { mergeInto } : {}),
        ...(flag(args, 'keep-duplicates') ? { keepDuplicates: true } : {}),
      });
      ctx.print(result, () =>
        result.vaults.map((v) => `${v.created ? 'Created' : 'Merged into'} ${v.name}: ${v.restored} entries${v.duplicatesSkipped ? `, ${v.duplicatesSkipped} duplicates skipped` : ''}.`).join('\n'),
      );
    },
  },
  {
    words: ['export', 'bitwarden'],
    summary: 'Write vaults as UNENCRYPTED Bitwarden JSON, for moving to another password manager',
    usage: `--vault NAME... --out FILE --${PLAINTEXT_FLAG} [--force]`,
    details: `Every secret of the vaults ends up readable in FILE. Import it elsewhere, then delete it.\nAsks for the admin passphrase. The file is written 0600 and not replaced without --force.`,
    options: { vault: { type: 'string', multiple: true }, out: { type: 'string' }, force: { type: 'boolean' }, [PLAINTEXT_FLAG]: { type: 'boolean' } },
    async run(ctx, args) {
      const vaults = vaultArgs(args);
      const path = outArg(args);
      if (!flag(args, PLAINTEXT_FLAG)) {
        throw new VkError('invalid_request', `this writes every secret of the vaults to ${path} UNENCRYPTED; anyone who can read the file can read them. Add --${PLAINTEXT_FLAG} to go ahead`);
      }
      const grant = await ctx.grant();
      const written = await ctx.admin().exportBitwarden({ grant, vaults, path, acknowledgePlaintext: true, ...(flag(args, 'force') ? { force: true } : {}) });
      ctx.print(written, () => `Wrote ${written.items} items from ${written.vaults} vault(s) to ${written.path}, UNENCRYPTED. Delete it once imported elsewhere.`);
    },
  },
];

export const importCommands: readonly Command[] = [importCommand, ...backupCommands];
