/**
 * The `valetkey` executable's entry (run from source with tsx in tests). An agent runs the CLI
 * once per tool call, so start-up is what it feels: `--version` and the overview load no command,
 * and the agent's commands (agent-main.ts) come without the rest of the table. The build bundles
 * it twice (scripts/build-cli.mjs): out/cli/valetkey.cjs, what bin/valetkey.cjs runs, holds the
 * agent's commands in one file; out/cli/valetkey.mjs splits every module into its own chunk.
 */
import { readFileSync } from 'node:fs';
import { VALETKEY_VERSION } from '../shared/version.js';
import { AGENT_COMMAND_MODULES } from './agent-command-index.js';
import { asksOverview, asksVersion, firstWord } from './argv-words.js';
import { EXIT } from './exit-codes.js';

/** The overview `valetkey --help` prints, written beside the bundle by the build (absent when run from source). */
function builtOverview(): string | undefined {
  try {
    return readFileSync(new URL('./overview.txt', import.meta.url), 'utf8');
  } catch {
    return undefined;
  }
}

async function run(argv: readonly string[]): Promise<number> {
  if (asksVersion(argv)) {
    process.stdout.write(`valetkey ${VALETKEY_VERSION}\n`);
    return EXIT.ok;
  }
  const overview = asksOverview(argv) ? builtOverview() : undefined;
  if (overview !== undefined) {
    process.stdout.write(overview);
    return EXIT.ok;
  }
  const word = firstWord(argv);
  const agent = word !== undefined && AGENT_COMMAND_MODULES.some((m) => m.words.includes(word));
  const { main } = agent ? await import('./agent-main.js') : await import('./main.js');
  return main(argv);
}

run(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`valetkey: ${(e as Error).stack ?? String(e)}\n`);
    process.exitCode = 1;
  },
);
