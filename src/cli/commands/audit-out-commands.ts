/**
 * `valetkey audit export|sinks|retention` and `audit verify --export`.
 *
 * `audit export` opens the database read-only itself and streams rows straight to stdout or a
 * file: WAL lets it read beside a running engine, it works with the engine stopped, and nothing
 * is buffered. It reads only the audit log, which the admin session secret may read anyway, and
 * writes as this process's own user; the engine's exportAudit (a grant: the engine writes where
 * it is told) runs the same code. Everything else goes
 * through the admin API, and adding, changing or removing a sink or retention asks for the admin
 * passphrase.
 */
import { openNewPrivateFile } from '../../core/fs/atomic-file.js';
import { randomBytes } from 'node:crypto';
import { closeSync, createWriteStream, existsSync, fsyncSync, readFileSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import { resolve } from 'node:path';
import type { Writable } from 'node:stream';
import { VALETKEY_VERSION as ENGINE_VERSION } from '../../shared/version.js';
import { VkError } from '../../shared/errors.js';
import type { AuditExportRequest, AuditExportVerification, AuditSinkConfig, AuditSinkInfo, AuditRetentionInfo } from '../../shared/model.js';
import { definedOnly } from '../../shared/defined-only.js';
import type { ParamsOf } from '../../shared/admin-api.js';
import { flag, value, type Command, type ParsedArgs } from '../command.js';
import type { CliContext } from '../context.js';
import { EXIT } from '../exit-codes.js';
import { table, when } from '../format.js';
import { signedCoverageText } from '../../shared/audit-coverage.js';

const FILTER_OPTIONS = {
  agent: { type: 'string' }, token: { type: 'string' }, vault: { type: 'string' }, action: { type: 'string' },
  outcome: { type: 'string' }, actor: { type: 'string' }, since: { type: 'string' }, until: { type: 'string' }, search: { type: 'string' },
} as const;

function whole(args: ParsedArgs, name: string, min = 1): number | undefined {
  const text = value(args, name);
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n < min) throw new VkError('invalid_request', `--${name} takes a whole number of at least ${min}`);
  return n;
}

function time(args: ParsedArgs, name: string): number | undefined {
  const text = value(args, name);
  if (text === undefined) return undefined;
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) throw new VkError('invalid_request', `--${name} takes an ISO date or time, e.g. 2026-11-22T10:00Z`);
  return ms;
}

/** The admin API's own schemas check the options (loaded here, not by commands that need no schema). */
async function parseParams<M extends 'downloadAuditExport' | 'addAuditSink'>(method: M, params: unknown): Promise<ParamsOf<M>> {
  const { parseAdminParams } = await import('../../shared/admin-schemas/admin-schemas.js');
  return parseAdminParams(method, params);
}

async function exportRequest(args: ParsedArgs): Promise<AuditExportRequest> {
  const filter = definedOnly({
    agent: value(args, 'agent'), tokenId: value(args, 'token'), vaultId: value(args, 'vault'), action: value(args, 'action'),
    outcome: value(args, 'outcome'), actor: value(args, 'actor'), since: time(args, 'since'), until: time(args, 'until'), reasonContains: value(args, 'search'),
  });
  const request = { format: value(args, 'format') ?? 'jsonl', ...definedOnly({ fromSeq: whole(args, 'from'), toSeq: whole(args, 'to') }) };
  return parseParams('downloadAuditExport', Object.keys(filter).length > 0 ? { ...request, filter } : request);
}

async function runExport(ctx: CliContext, args: ParsedArgs): Promise<void> {
  const request = await exportRequest(args);
  if (!existsSync(ctx.paths.database)) throw new VkError('not_initialized');
  const outPath = value(args, 'out');
  const fd = outPath === undefined ? undefined : openNewPrivateFile(resolve(outPath));
  const { openExportDatabase, writeAuditExport } = await import('../../core/audit-out/audit-export.js');
  const db = openExportDatabase(ctx.paths.database);
  try {
    const out: Writable = fd === undefined ? process.stdout : createWriteStream('', { fd, autoClose: false });
    const summary = await writeAuditExport(db, request, out, { engineVersion: ENGINE_VERSION, now: Date.now });
    if (fd !== undefined) {
      out.end();
      await once(out, 'finish');
      fsyncSync(fd);
    }
    const text = `Exported ${summary.rows} rows (${summary.format}) from the chain range ${summary.fromSeq}..${summary.toSeq}${summary.contiguous ? '' : ', filtered'}; hash before: ${summary.prevHash}, last: ${summary.lastHash ?? '-'}; ${signedCoverageText(summary)}`;
    const report = { ...summary, ...(outPath !== undefined ? { path: resolve(outPath) } : {}) };
    if (outPath !== undefined) ctx.print(report, () => text);
    else ctx.err(ctx.json ? JSON.stringify(report) : text);
  } catch (e) {
    if (outPath !== undefined) rmSync(resolve(outPath), { force: true });
    throw e;
  } finally {
    db.close();
    if (fd !== undefined) closeSync(fd);
  }
}


function describeExportCheck(r: AuditExportVerification): string {
  if (!r.ok) return `EXPORT DOES NOT VERIFY at row ${r.firstBadSeq ?? '?'}: ${r.problem ?? 'unknown problem'}`;
  const parts = [`${r.rowsChecked} rows, chain range ${r.fromSeq}..${r.toSeq}${r.contiguous ? '' : ' (filtered)'}`, `${r.checkpointsChecked} signed checkpoints`];
  if (r.rowsMatchedLedger > 0) parts.push(`${r.rowsMatchedLedger} match the ledger`);
  if (r.rowsArchived > 0) parts.push(`${r.rowsArchived} archived (no longer in the ledger)`);
  if (r.archiveSignature !== 'absent') parts.push(`archive signature ${r.archiveSignature}`);
  if (r.keyId !== undefined) parts.push(`key ${r.keyId}`);
  return `Export intact: ${parts.join('; ')}.`;
}

async function verifyOffline(path: string): Promise<AuditExportVerification> {
  const { offlineReference, verifyExportFile } = await import('../../core/audit-out/verify-export-file.js');
  return verifyExportFile(path, offlineReference);
}

/** `valetkey audit verify --export FILE [--offline]` (called from audit-commands.ts). */
export async function verifyExportCommand(ctx: CliContext, file: string, offline: boolean): Promise<number> {
  const path = resolve(file);
  const result = offline ? await verifyOffline(path) : await ctx.admin().verifyAuditExport({ path });
  ctx.print(result, () => describeExportCheck(result) + (offline && result.ok ? '\nChecked alone, with the key in the .sig file: compare its key id with the engine’s (valetkey audit verify --export FILE, online).' : ''));
  return result.ok ? EXIT.ok : EXIT.integrity;
}

function target(c: AuditSinkConfig): string {
  return c.kind === 'syslog' ? `${c.transport}://${c.host}:${c.port}` : new URL(c.url).origin;
}

function sinkRows(sinks: readonly AuditSinkInfo[]): string {
  return table(
    ['NAME', 'KIND', 'TARGET', 'STATE', 'DELIVERED', 'LAG', 'LAST ERROR'],
    sinks.map((s) => [s.name, s.kind, target(s.config), s.health.state, String(s.health.lastDeliveredSeq), String(s.health.lag), s.health.lastError ? `${s.health.lastError} (${when(s.health.lastErrorAt ?? 0)})` : '']),
  );
}

async function listSinks(ctx: CliContext): Promise<void> {
  const sinks = await ctx.admin().listAuditSinks({});
  ctx.print(sinks, () => sinkRows(sinks));
}

const SINK_TYPES = { syslog: 'syslog', splunk: 'splunk_hec', splunk_hec: 'splunk_hec', webhook: 'webhook' } as const;

async function sinkConfig(args: ParsedArgs, name: string): Promise<AuditSinkConfig> {
  const { sink } = await parseParams('addAuditSink', { sink: { name, config: sinkOptions(args) } });
  return sink.config;
}

/** The sink's config as the options give it, checked by the admin schema (sinkConfig) before the passphrase is asked. */
function sinkOptions(args: ParsedArgs): Record<string, unknown> {
  const type = SINK_TYPES[(value(args, 'type') ?? '') as keyof typeof SINK_TYPES];
  if (type === undefined) throw new VkError('invalid_request', '--type must be syslog, splunk or webhook');
  const caFile = value(args, 'ca');
  const caPem = caFile === undefined ? {} : { caPem: readFileSync(resolve(caFile), 'utf8') };
  const batchSize = whole(args, 'batch');
  const batch = batchSize === undefined ? {} : { batchSize };
  if (type === 'syslog') {
    const transport = value(args, 'transport') ?? 'tcp';
    const facility = whole(args, 'facility', 0);
    return { kind: 'syslog', transport, host: value(args, 'host') ?? '127.0.0.1', port: whole(args, 'port') ?? (transport === 'tls' ? 6514 : 514), ...(facility !== undefined ? { facility } : {}), ...caPem };
  }
  const url = value(args, 'url');
  if (url === undefined) throw new VkError('invalid_request', `a ${type} sink needs --url`);
  if (type === 'webhook') return { kind: 'webhook', url, ...batch, ...caPem };
  const index = value(args, 'index');
  const sourcetype = value(args, 'sourcetype');
  return { kind: 'splunk_hec', url, ...batch, ...caPem, ...(index ? { index } : {}), ...(sourcetype ? { sourcetype } : {}) };
}

/** HEC token or webhook key: asked for (hidden) after the passphrase, or generated for a webhook. */
async function sinkCredential(ctx: CliContext, config: AuditSinkConfig, generate: boolean): Promise<string | undefined> {
  if (config.kind === 'syslog') return undefined;
  if (generate && config.kind === 'webhook') return randomBytes(32).toString('base64url');
  return ctx.prompter.ask(config.kind === 'splunk_hec' ? 'HEC token: ' : 'Webhook HMAC key (16+ characters): ', { hidden: true });
}

async function addSink(ctx: CliContext, args: ParsedArgs): Promise<void> {
  const name = args.positionals[0];
  if (!name) throw new VkError('invalid_request', 'name the sink: valetkey audit sinks add NAME --type ...');
  const config = await sinkConfig(args, name);
  const generate = flag(args, 'generate-key');
  const grant = await ctx.grant();
  const credential = await sinkCredential(ctx, config, generate);
  const sink = await ctx.admin().addAuditSink({
    grant,
    sink: { name, config, ...(credential !== undefined ? { credential } : {}), startAt: flag(args, 'from-start') ? 'oldest' : 'now', enabled: !flag(args, 'disabled') },
  });
  ctx.print(generate ? { ...sink, generatedKey: credential } : sink, () =>
    `Added audit sink ${sink.name} (${sink.kind}, ${target(sink.config)}); it starts after row ${sink.health.lastDeliveredSeq}.` +
    (generate ? `\nWebhook HMAC key (shown once; give it to the receiver): ${credential ?? ''}` : ''),
  );
}

function describeRetention(r: AuditRetentionInfo): string {
  const policy = r.keepDays === null && r.keepRows === null ? 'keep everything' : [r.keepDays !== null ? `${r.keepDays} days` : '', r.keepRows !== null ? `${r.keepRows} rows` : ''].filter(Boolean).join(' and ');
  const lines = [`Retention: ${policy}`, `Archives in ${r.archiveDir}:`, table(['FILE', 'ROWS', 'CREATED'], r.archives.map((a) => [a.file, `${a.fromSeq}..${a.toSeq}`, when(a.createdAt)]))];
  if (r.anchor) lines.splice(1, 0, `Chain anchored at row ${r.anchor.seq} (signed, ${when(r.anchor.at)})`);
  return lines.join('\n');
}

function retentionLimit(args: ParsedArgs, name: string, current: number | null): number | null {
  const text = value(args, name);
  if (text === undefined) return current;
  return text === 'none' ? null : (whole(args, name) ?? null);
}

export const auditOutCommands: readonly Command[] = [
  {
    words: ['audit', 'export'],
    summary: 'Export audit rows as CSV, JSON Lines, CEF or OCSF (streamed; filters as in audit list)',
    usage: '[--format csv|jsonl|cef|ocsf] [--out FILE] [--from SEQ] [--to SEQ] [--agent A] [--token ID] [--vault ID] [--action A] [--outcome O] [--actor A] [--since TIME] [--until TIME] [--search TEXT]',
    details:
      'Reads the database directly (read-only; the engine may be running or not). Without --out the rows go to stdout and a\n' +
      'summary of the chain range to stderr. JSON Lines starts with a header naming that range; check it with\n' +
      '`valetkey audit verify --export FILE`. --since/--until pick a seq range, so the export stays a checkable piece of the chain.',
    options: { format: { type: 'string' }, out: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' }, ...FILTER_OPTIONS },
    run: (ctx, args) => runExport(ctx, args),
  },
  { words: ['audit', 'sinks'], summary: 'Show live audit sinks and their health (last delivered row, lag, last error)', usage: '', run: (ctx) => listSinks(ctx) },
  { words: ['audit', 'sinks', 'list'], summary: 'Same as `audit sinks`', usage: '', run: (ctx) => listSinks(ctx) },
  {
    words: ['audit', 'sinks', 'add'],
    summary: 'Stream the audit log to syslog (TCP, TLS, UDP), Splunk HEC or a webhook',
    usage: 'NAME --type syslog|splunk|webhook [--host H] [--port P] [--transport tcp|tls|udp] [--url URL] [--ca PEMFILE] [--facility N] [--index I] [--sourcetype S] [--batch N] [--generate-key] [--from-start] [--disabled]',
    details:
      'Asks for the admin passphrase, then (HEC, webhook) the token or HMAC key, hidden; --generate-key makes and prints a webhook key.\n' +
      'Starts with the next row, or with the oldest row still kept (--from-start).',
    options: {
      type: { type: 'string' }, host: { type: 'string' }, port: { type: 'string' }, transport: { type: 'string' }, url: { type: 'string' }, ca: { type: 'string' },
      facility: { type: 'string' }, index: { type: 'string' }, sourcetype: { type: 'string' }, batch: { type: 'string' },
      'generate-key': { type: 'boolean' }, 'from-start': { type: 'boolean' }, disabled: { type: 'boolean' },
    },
    run: (ctx, args) => addSink(ctx, args),
  },
  ...(['rm', 'enable', 'disable'] as const).map((verb): Command => ({
    words: ['audit', 'sinks', verb],
    summary: verb === 'rm' ? 'Remove a live audit sink' : `${verb === 'enable' ? 'Resume' : 'Pause'} a live audit sink (its cursor is kept)`,
    usage: 'NAME',
    async run(ctx, args) {
      const sinkId = args.positionals[0];
      if (!sinkId) throw new VkError('invalid_request', `name the sink: valetkey audit sinks ${verb} NAME`);
      const grant = await ctx.grant();
      if (verb === 'rm') {
        await ctx.admin().removeAuditSink({ grant, sinkId });
        ctx.print({ removed: true, sink: sinkId }, () => `Removed audit sink ${sinkId}.`);
        return;
      }
      const sink = await ctx.admin().updateAuditSink({ grant, sinkId, changes: { enabled: verb === 'enable' } });
      ctx.print(sink, () => `Audit sink ${sink.name} is ${sink.enabled ? 'enabled' : 'disabled'}.`);
    },
  })),
  {
    words: ['audit', 'sinks', 'test'],
    summary: 'Send one test message (not an audit row) to a sink’s receiver',
    usage: 'NAME',
    async run(ctx, args) {
      const sinkId = args.positionals[0];
      if (!sinkId) throw new VkError('invalid_request', 'name the sink: valetkey audit sinks test NAME');
      const r = await ctx.admin().testAuditSink({ sinkId });
      ctx.print(r, () => (r.ok ? `The receiver took the test message (${r.milliseconds} ms).` : `The test failed: ${r.error ?? 'unknown error'}`));
      return r.ok ? EXIT.ok : EXIT.error;
    },
  },
  {
    words: ['audit', 'retention'],
    summary: 'Show or set audit retention: keep N days and/or N rows; older rows are archived (signed), then deleted',
    usage: '[--keep-days N|none] [--keep-rows N|none] [--off]',
    details: 'Changing it asks for the admin passphrase. The engine applies it hourly; `valetkey audit retention run` applies it now.',
    options: { 'keep-days': { type: 'string' }, 'keep-rows': { type: 'string' }, off: { type: 'boolean' } },
    async run(ctx, args) {
      const current = await ctx.admin().getAuditRetention({});
      const changing = flag(args, 'off') || value(args, 'keep-days') !== undefined || value(args, 'keep-rows') !== undefined;
      if (!changing) return void ctx.print(current, () => describeRetention(current));
      const keepDays = flag(args, 'off') ? null : retentionLimit(args, 'keep-days', current.keepDays);
      const keepRows = flag(args, 'off') ? null : retentionLimit(args, 'keep-rows', current.keepRows);
      const next = await ctx.admin().setAuditRetention({ grant: await ctx.grant(), keepDays, keepRows });
      ctx.print(next, () => describeRetention(next));
    },
  },
  {
    words: ['audit', 'retention', 'run'],
    summary: 'Apply audit retention now: archive (signed) and delete rows past the policy',
    usage: '',
    async run(ctx) {
      const run = await ctx.admin().runAuditRetention({ grant: await ctx.grant() });
      ctx.print(run, () => (run.archive ? `Archived rows ${run.archive.fromSeq}..${run.archive.toSeq} to ${run.archive.file} (signed) and deleted ${run.deleted} rows.` : `Nothing to do: ${run.note ?? 'nothing is past the policy'}.`));
    },
  },
];
