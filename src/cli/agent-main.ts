/** The agent's commands alone (bundled to out/cli/agent.cjs as one file; bin.ts picks it by the first word). */
import { AGENT_COMMAND_MODULES } from './agent-command-index.js';
import { runCli } from './run-cli.js';

export function main(argv: readonly string[]): Promise<number> {
  return runCli(argv, AGENT_COMMAND_MODULES);
}
