/**
 * The agent's secret commands: `read` (reveal, needs a read scope), `inject` (fill a template into
 * a 0600 file) and `fetch` (use without exposure: the engine sends the request, the agent sees
 * the answer with the values redacted; needs a use or read scope). Every call carries a reason.
 */
import { existsSync, readFileSync } from 'node:fs';
import { VkError } from '../../shared/errors.js';
import type { FetchAnswer, FetchRequestInput } from '../../shared/model.js';
import { writeFileAtomic } from '../../core/fs/atomic-file.js';
import { fillPlaceholders, findPlaceholders } from '../../core/fetch/placeholders.js';
import { flag, value, values, type Command, type ParsedArgs } from '../command.js';
import type { CliContext } from '../context.js';
import { PROFILE_OPTION, REASON_OPTION, openAgentSession, requireReason } from '../agent/agent-session.js';
import { withWaitingNotice, type OnWaiting } from '../../../sdk/js/src/waiting.js';

/** "waiting for approval in Valetkey (…)" on stderr while a person decides: the SDK's notice, in the CLI's voice. */
const waitingOn = (ctx: CliContext): OnWaiting => (info) => ctx.err(`valetkey: ${info.message}`);

async function resolveAll(ctx: CliContext, args: ParsedArgs, refs: readonly string[]): Promise<Readonly<Record<string, string>>> {
  const reason = requireReason(args);
  const { client, credential } = await openAgentSession(ctx, args);
  return withWaitingNotice(refs, waitingOn(ctx), client.resolve(credential, refs, reason));
}

function readTemplate(path: string | undefined): string {
  try {
    return readFileSync(path ?? 0, 'utf8');
  } catch {
    throw new VkError('not_found', `cannot read the template ${path ?? '(standard input)'}`);
  }
}

function writeOutput(path: string, text: string, force: boolean): void {
  try {
    writeFileAtomic(path, text, { overwrite: force });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') throw new VkError('conflict', `${path} exists; add --force to replace it`);
    throw e;
  }
}

function parseHeader(text: string): [string, string] {
  const colon = text.indexOf(':');
  if (colon <= 0) throw new VkError('invalid_request', '-H takes "Name: value"');
  return [text.slice(0, colon).trim(), text.slice(colon + 1).trim()];
}

function fetchRequest(args: ParsedArgs): FetchRequestInput {
  const url = args.positionals[0];
  if (url === undefined) throw new VkError('invalid_request', 'usage: valetkey fetch URL [-X METHOD] [-H "Name: value"]... [-d BODY] --reason "why"');
  const body = value(args, 'data');
  const method = value(args, 'request') ?? (body === undefined ? 'GET' : 'POST');
  const headers = Object.fromEntries(values(args, 'header').map(parseHeader));
  return { method, url, headers, ...(body === undefined ? {} : { body }) };
}

function writeAnswer(answer: FetchAnswer, include: boolean): void {
  if (include) {
    const lines = [`HTTP ${answer.status} ${answer.statusText}`];
    for (const [name, v] of Object.entries(answer.headers)) for (const one of Array.isArray(v) ? v : [v]) lines.push(`${name}: ${String(one)}`);
    process.stdout.write(`${lines.join('\r\n')}\r\n\r\n`);
  }
  process.stdout.write(Buffer.from(answer.body, answer.bodyEncoding === 'base64' ? 'base64' : 'utf8'));
}

export const secretCommands: readonly Command[] = [
  {
    words: ['read'],
    summary: 'Print secret values (agent; needs a read scope; audited with the reason)',
    usage: 'vk://VAULT/ENTRY/FIELD... --reason "why" [--profile P] [--no-newline]',
    details: 'The reason may also come from VALETKEY_REASON. Several references are resolved in one call, printed one per line\n(--json: an object keyed by reference). vk://VAULT/ENTRY?attribute=otp gives the current TOTP code.',
    options: { 'no-newline': { type: 'boolean', short: 'n' }, ...REASON_OPTION, ...PROFILE_OPTION },
    async run(ctx, args) {
      const refs = [...args.positionals];
      if (refs.length === 0) throw new VkError('invalid_request', 'usage: valetkey read vk://VAULT/ENTRY/FIELD --reason "why"');
      const found = await resolveAll(ctx, args, refs);
      if (ctx.json) return ctx.out(JSON.stringify(found, null, 2));
      const text = refs.map((ref) => found[ref] ?? '').join('\n');
      process.stdout.write(flag(args, 'no-newline') ? text : `${text}\n`);
    },
  },
  {
    words: ['inject'],
    summary: 'Fill {{ vk://… }} placeholders of a template into a 0600 file (agent; needs a read scope)',
    usage: '[-i TEMPLATE] [-o OUTPUT] [--force] --reason "why" [--profile P]',
    details: 'Reads the template from -i (else standard input) and writes -o (else standard output). The output file is\ncreated with mode 0600 and never replaces an existing file unless --force. All references are resolved in one call.',
    options: { in: { type: 'string', short: 'i' }, out: { type: 'string', short: 'o' }, force: { type: 'boolean' }, ...REASON_OPTION, ...PROFILE_OPTION },
    async run(ctx, args) {
      const out = value(args, 'out');
      const force = flag(args, 'force');
      const template = readTemplate(value(args, 'in'));
      // Refuse before touching a secret: an existing output is a mistake, not a reason to read.
      if (out !== undefined && !force && existsSync(out)) throw new VkError('conflict', `${out} exists; add --force to replace it`);
      const refs = findPlaceholders(template);
      const found = refs.length === 0 ? {} : await resolveAll(ctx, args, refs);
      const text = fillPlaceholders(template, new Map(Object.entries(found)));
      if (out === undefined) return void process.stdout.write(text);
      writeOutput(out, text, force);
      ctx.print({ file: out, references: refs.length }, () => `Wrote ${out} (mode 0600) with ${refs.length} reference(s) filled in.`);
    },
  },
  {
    words: ['fetch'],
    summary: 'Send an HTTP request with {{vk://…}} placeholders through Valetkey, seeing only the redacted answer',
    usage: 'URL [-X METHOD] [-H "Name: value"]... [-d BODY] [-i] --reason "why" [--profile P]',
    details:
      'Use without exposure: the engine fills the placeholders, sends the request only to a host the person allowed for\n' +
      'every entry named (HTTPS, or HTTP to loopback), and answers with every value redacted. Needs a use (or read) scope.\n' +
      'Prints the body (-i: status line and headers first; --json: the whole answer). Exit 0 whatever the HTTP status.',
    options: { request: { type: 'string', short: 'X' }, header: { type: 'string', short: 'H', multiple: true }, data: { type: 'string', short: 'd' }, include: { type: 'boolean', short: 'i' }, ...REASON_OPTION, ...PROFILE_OPTION },
    async run(ctx, args) {
      const request = fetchRequest(args);
      const reason = requireReason(args);
      const { client, credential } = await openAgentSession(ctx, args);
      const answer = await withWaitingNotice(findPlaceholders(JSON.stringify(request)), waitingOn(ctx), client.fetch(credential, request, reason));
      if (ctx.json) return ctx.out(JSON.stringify(answer, null, 2));
      writeAnswer(answer, flag(args, 'include'));
    },
  },
];
