/**
 * Runs one `valetkey` command line against a command table: finds the command (loading only the
 * module that holds it, see command-index.ts), parses its options, runs it and turns errors into
 * a message and an exit code. It imports no table itself, so the agent bundle (agent-main.ts)
 * holds only the agent's commands.
 */
import { parseArgs } from 'node:util';
import { isVkError } from '../shared/errors.js';
import { VALETKEY_VERSION } from '../shared/version.js';
import type { Command, CommandModule } from './command.js';
import { createCliContext } from './context.js';
import { EXIT, exitCodeFor } from './exit-codes.js';
import { createPrompter, PromptError } from './prompt.js';
import { asksVersion } from './argv-words.js';

const GLOBAL_OPTIONS = { json: { type: 'boolean' }, home: { type: 'string' }, help: { type: 'boolean', short: 'h' } } as const;

/** Every command of a table, in help order. */
export async function loadAllCommands(modules: readonly CommandModule[]): Promise<readonly Command[]> {
  return (await Promise.all(modules.map((m) => m.load()))).flat();
}

/** The commands a command line can mean: those of the modules its first word names. */
export async function loadCommandsFor(modules: readonly CommandModule[], firstWord: string | undefined): Promise<readonly Command[]> {
  const named = modules.filter((m) => firstWord !== undefined && m.words.includes(firstWord));
  return (await Promise.all(named.map((m) => m.load()))).flat();
}

async function findCommand(argv: readonly string[], modules: readonly CommandModule[]): Promise<{ command: Command; rest: string[] } | undefined> {
  const words = argv.filter((a) => !a.startsWith('-'));
  let best: Command | undefined;
  for (const c of await loadCommandsFor(modules, words[0])) {
    if (c.words.every((w, i) => words[i] === w) && (!best || c.words.length > best.words.length)) best = c;
  }
  if (!best) return undefined;
  const rest = [...argv];
  for (const w of best.words) rest.splice(rest.indexOf(w), 1);
  return { command: best, rest };
}

export function helpText(command: Command): string {
  const lines = [`Usage: valetkey ${command.words.join(' ')} ${command.usage}`.trimEnd(), '', command.summary];
  if (command.details) lines.push('', command.details);
  lines.push('', 'Global options: --json (machine-readable output), --home DIR (data directory; default $VALETKEY_HOME), --help');
  return lines.join('\n');
}

/** The overview `valetkey --help` prints: every command (all modules are loaded for it). */
export function overviewText(all: readonly Command[]): string {
  const width = Math.max(...all.map((c) => c.words.join(' ').length));
  return [
    'Usage: valetkey COMMAND [options]   (valetkey COMMAND --help for details)',
    '',
    ...all.map((c) => `  ${c.words.join(' ').padEnd(width)}  ${c.summary}`),
    '',
    'Exit codes: 0 ok, 1 error, 2 usage, 3 engine not running/not set up, 4 locked or paused, 5 refused (passphrase),',
    '            6 not found, 7 integrity (audit chain, tampering), 8 keychain, 9 denied, 10 agent credentials,',
    '            11 the target of a fetch failed. `valetkey run` exits with its command\'s status.',
  ].join('\n');
}

export async function runCli(argv: readonly string[], modules: readonly CommandModule[]): Promise<number> {
  if (asksVersion(argv)) {
    process.stdout.write(`valetkey ${VALETKEY_VERSION}\n`);
    return EXIT.ok;
  }
  const found = await findCommand(argv, modules);
  if (!found) {
    const asksHelp = argv.length === 0 || argv.includes('--help') || argv.includes('-h') || argv[0] === 'help';
    (asksHelp ? process.stdout : process.stderr).write(`${overviewText(await loadAllCommands(modules))}\n`);
    return asksHelp ? EXIT.ok : EXIT.usage;
  }
  const { command, rest } = found;
  let parsed;
  try {
    parsed = parseArgs({ args: rest, options: { ...GLOBAL_OPTIONS, ...command.options }, allowPositionals: true, strict: true });
  } catch (e) {
    process.stderr.write(`valetkey: ${(e as Error).message}\n\n${helpText(command)}\n`);
    return EXIT.usage;
  }
  if (parsed.values.help) {
    process.stdout.write(`${helpText(command)}\n`);
    return EXIT.ok;
  }
  const json = parsed.values.json === true;
  const ctx = createCliContext({ home: parsed.values.home as string | undefined, json, prompter: createPrompter() });
  try {
    const code = await command.run(ctx, parsed);
    return typeof code === 'number' ? code : EXIT.ok;
  } catch (e) {
    // The agent client's errors become ours here; loaded on this path only, not at every start.
    const { fromClientError } = await import('../shared/client-error.js');
    return reportError(fromClientError(e), json);
  }
}

function reportError(e: unknown, json: boolean): number {
  if (isVkError(e)) {
    process.stderr.write(json ? `${JSON.stringify(e.toJSON())}\n` : `valetkey: ${e.message} [${e.code}]\n`);
    return exitCodeFor(e.code);
  }
  if (e instanceof PromptError) {
    process.stderr.write(`valetkey: ${e.message}\n`);
    return EXIT.usage;
  }
  // A bug: print the stack (it carries no request data) so it can be reported.
  process.stderr.write(`valetkey: unexpected error: ${(e as Error).stack ?? String(e)}\n`);
  return EXIT.error;
}
